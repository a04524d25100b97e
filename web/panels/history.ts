/**
 * A unit-month's audit trail (`GET /v1/orgs/{town}/units/{unit}/months/{month}/history`):
 * its state now, then every version with its change list and every review event, with
 * who, when and why, in time order. Shown under the secretary's months (panels/my-months.ts)
 * and under the town's units (panels/review.ts), each in its own container.
 */
import { chineseMonth } from '../../shared/period.ts';
import { getJson, messageOf } from '../app/api.ts';
import { catalogueOrNone, labelOf, unitName } from '../app/catalogue.ts';
import { clear, el, show } from '../app/dom.ts';
import { beijing } from '../app/format.ts';
import { unitPath } from '../app/org.ts';
import { eventText, lockText, stateText, whoText } from '../app/review-state.ts';
import type { AuditEvent, History } from '../app/types.ts';

/** The request each container waits for: an answer to an older one is dropped. */
const asked = new WeakMap<HTMLElement, number>();

/** Shows the trail of unit `fullCode` (`EC/V06`) in `period` inside `container`. */
export function showHistory(container: HTMLElement, fullCode: string, period: string): Promise<History | null> {
  const ticket = (asked.get(container) || 0) + 1;
  asked.set(container, ticket);
  clear(container);
  container.setAttribute('data-unit', fullCode);
  container.setAttribute('data-period', period);
  container.removeAttribute('data-loaded');
  container.appendChild(el('h3', { tabindex: '-1' }, `${unitName(fullCode)} · ${chineseMonth(period)} 报送与审核记录`));
  const status = el('p', { class: 'status busy', role: 'status' }, '正在读取记录…');
  container.appendChild(status);
  show(container, true);
  return catalogueOrNone()
    .then(() => getJson<History>(unitPath(fullCode, 'months', period, 'history')))
    .then(
      (history) => {
        if (asked.get(container) !== ticket) return null;
        container.removeChild(status);
        renderHistory(container, history);
        return history;
      },
      (error: unknown) => {
        if (asked.get(container) === ticket) {
          status.textContent = messageOf(error);
          status.className = 'status error';
        }
        return null;
      },
    );
}

function renderHistory(container: HTMLElement, history: History): void {
  const heading = container.getElementsByTagName('h3')[0];
  if (heading) heading.textContent = `${history.unitName} · ${chineseMonth(history.period)} 报送与审核记录`;
  const now = el('p', { class: 'history-state', 'data-state': history.review.state });
  now.textContent = `现在：${stateText(history.review)}；${lockText(history.review)}。`;
  container.appendChild(now);
  if (!history.events.length) container.appendChild(el('p', { class: 'hint' }, '该月还没有任何报送。'));
  else {
    const list = el('ol', { class: 'events' });
    history.events.forEach((event) => {
      list.appendChild(eventItem(event));
    });
    container.appendChild(list);
  }
  const close = el('button', { type: 'button', class: 'secondary close-history' }, '收起记录');
  close.addEventListener('click', () => closeHistory(container));
  const buttons = el('div', { class: 'buttons' });
  buttons.appendChild(close);
  container.appendChild(buttons);
  container.setAttribute('data-loaded', 'true');
}

function eventItem(event: AuditEvent): HTMLLIElement {
  const item = el('li', { class: 'event', 'data-kind': event.kind, 'data-version': event.version });
  item.appendChild(el('span', { class: 'when' }, beijing(event.at)));
  item.appendChild(el('span', { class: 'who' }, whoText(event.by)));
  item.appendChild(el('span', { class: 'what' }, eventText(event, labelOf)));
  return item;
}

/** Empties and hides the container (another month, another session). */
export function closeHistory(container: HTMLElement): void {
  asked.set(container, (asked.get(container) || 0) + 1);
  clear(container);
  container.removeAttribute('data-unit');
  container.removeAttribute('data-period');
  container.removeAttribute('data-loaded');
  show(container, false);
}
