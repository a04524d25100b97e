/** The DOM the panels share: lookups that fail loudly, and elements built from text only (never HTML). */

export function $(id: string): HTMLElement {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no #${id}`);
  return node;
}

/** `#id`, which must be a `kind` (an <input>, a <select>…). */
export function typed<T extends HTMLElement>(id: string, kind: { new (): T; prototype: T }): T {
  const node = $(id);
  if (!(node instanceof kind)) throw new Error(`#${id} is not a ${kind.name}`);
  return node;
}

export const input = (id: string): HTMLInputElement => typed(id, HTMLInputElement);
export const select = (id: string): HTMLSelectElement => typed(id, HTMLSelectElement);

/** The <tbody> of table `#id`. */
export function bodyOf(id: string): HTMLTableSectionElement {
  const body = $(id).getElementsByTagName('tbody')[0];
  if (!body) throw new Error(`#${id} has no tbody`);
  return body;
}

type Attributes = Readonly<Record<string, string | number | null | undefined>>;

/** An element with text only: attrs are attributes, text is textContent. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attributes | null,
  text?: string | number | null,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (attrs) {
    Object.keys(attrs).forEach((name) => {
      const value = attrs[name];
      if (value !== undefined && value !== null) node.setAttribute(name, String(value));
    });
  }
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

/** A table cell; `label` names it on a phone, where the table becomes cards. */
export function cell(cls: string, label: string, text: string): HTMLTableCellElement {
  return el('td', { class: cls, 'data-label': label }, text);
}

/** A row of one message spanning the table's three columns. */
export function messageRow(text: string): HTMLTableRowElement {
  const tr = el('tr');
  const td = cell('message', '说明', text);
  td.setAttribute('colspan', '3');
  tr.appendChild(td);
  return tr;
}

export function clear(node: Node): void {
  while (node.firstChild) node.removeChild(node.firstChild);
}

export function show(node: HTMLElement, visible: boolean): void {
  node.hidden = !visible;
}

type StatusKind = '' | 'ok' | 'error' | 'busy' | 'warning';

/** A status line (`.status`): its text and how it reads (ok, error, busy). */
export function setStatus(id: string, text?: string, kind: StatusKind = ''): void {
  const node = $(id);
  node.textContent = text || '';
  node.className = `status${kind ? ` ${kind}` : ''}`;
}
