/** A figure as the page's tables show it: named and measured by the catalogue, in its order. */
import { keyInfo, orderOf } from './catalogue.ts';
import { cell, el } from './dom.ts';
import { formatNumber } from './format.ts';
import { session } from './session.ts';

/** Value keys in the catalogue's order (the form's). */
export function inCatalogueOrder(keys: readonly string[]): string[] {
  const catalogue = session.catalogue;
  return [...keys].sort((a, b) => orderOf(catalogue, a) - orderOf(catalogue, b));
}

/** A figure's row: its label, its value (shown, and as `data-value`), its unit of measure. */
export function figureRow(key: string, value: number | undefined, valueLabel: string, valueClass = 'value'): HTMLTableRowElement {
  const info = keyInfo(session.catalogue, key);
  const tr = el('tr', { 'data-key': key });
  tr.appendChild(cell('label', '指标', info ? info.label : key));
  const v = cell(valueClass, valueLabel, formatNumber(value));
  v.setAttribute('data-value', String(value));
  tr.appendChild(v);
  tr.appendChild(cell('unit', '计量单位', info ? info.unit : ''));
  return tr;
}
