/**
 * The town's review of a month, in its completeness table (panels/completeness.ts): each
 * unit's review state, and the actions on it — 审核通过, 退回 and 重新打开 (these two with a
 * reason) — sent with the version the town saw
 * (`POST /v1/orgs/{town}/units/{unit}/months/{month}/review`). A correction that landed
 * meanwhile fails the action (409 REVIEW_CONFLICT): the table is read again and the town
 * is told the data changed. Each unit's audit trail opens under the table (panels/history.ts).
 */
import { ApiError, messageOf, request } from '../app/api.ts';
import { $, cell, el, setStatus } from '../app/dom.ts';
import { unitPath } from '../app/org.ts';
import { ACTION_LABELS, actionsFor, needsReason, stateText } from '../app/review-state.ts';
import { me } from '../app/session.ts';
import type { ReviewAction, ReviewState, UnitCompleteness } from '../app/types.ts';
import { showHistory } from './history.ts';

/** Reads the month's completeness again (the table is rebuilt). */
type Reload = () => Promise<unknown>;

interface Outcome {
  readonly text: string;
  readonly kind: 'ok' | 'error';
}

const REASON_PROMPTS: Readonly<Record<ReviewAction, string>> = {
  approve: '',
  return: '退回原因（必填，单位会看到）',
  reopen: '重新打开的原因（必填，记入审核记录）',
};

/** The unit's review state, with a reopening and a passed lock day said. */
export function reviewCell(u: UnitCompleteness): HTMLTableCellElement {
  const review = u.review;
  let text = stateText(review, u.receivedAt);
  if (review.reopened && review.state !== 'returned') text += `；已重新打开${review.reason ? `（原因：${review.reason}）` : ''}`;
  if (review.locked && review.state !== 'approved') text += '；已过锁定日';
  const td = cell('review', '审核', text);
  td.setAttribute('data-state', review.state);
  return td;
}

/** The buttons of the unit's row: what the caller may do on it, and its record. */
export function actionsCell(u: UnitCompleteness, period: string, reload: Reload): HTMLTableCellElement {
  const td = cell('actions', '操作', '');
  const buttons = el('div', { class: 'review-buttons' });
  actionsFor(u.review, me().role).forEach((action) => {
    const button = el(
      'button',
      {
        type: 'button',
        class: action === 'approve' ? 'small' : 'secondary small',
        'data-action': action,
        'aria-label': `${ACTION_LABELS[action]}：${u.name}`,
      },
      ACTION_LABELS[action],
    );
    button.addEventListener('click', () => {
      if (needsReason(action)) openReason(td, u, period, action, reload);
      else send(td, u, period, action, '', reload);
    });
    buttons.appendChild(button);
  });
  const history = el(
    'button',
    { type: 'button', class: 'secondary small history', 'data-month': period, 'aria-label': `查看${u.name}的记录` },
    '查看记录',
  );
  history.addEventListener('click', () => {
    const container = $('unit-history');
    showHistory(container, u.fullCode, period)
      .then(() => container.getElementsByTagName('h3')[0]?.focus())
      .catch(() => null);
  });
  buttons.appendChild(history);
  td.appendChild(buttons);
  return td;
}

/** The reason's field under the row's buttons, with 确认 and 取消. */
function openReason(td: HTMLTableCellElement, u: UnitCompleteness, period: string, action: ReviewAction, reload: Reload): void {
  closeReason(td);
  const form = el('div', { class: 'review-form', 'data-action': action });
  const id = `reason-${u.fullCode.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  form.appendChild(el('label', { for: id }, `${u.name}：${REASON_PROMPTS[action]}`));
  const field = el('input', { id, type: 'text', class: 'reason', maxlength: 500, autocomplete: 'off' });
  form.appendChild(field);
  const said = el('p', { class: 'status', role: 'status' });
  const buttons = el('div', { class: 'buttons' });
  const confirm = el('button', { type: 'button', class: 'confirm' }, `确认${ACTION_LABELS[action]}`);
  const cancel = el('button', { type: 'button', class: 'secondary cancel' }, '取消');
  const submit = () => {
    const reason = field.value.trim();
    if (!reason) {
      said.textContent = `请填写${action === 'return' ? '退回' : '重新打开'}的原因。`;
      said.className = 'status error';
      field.focus();
      return;
    }
    send(td, u, period, action, reason, reload);
  };
  confirm.addEventListener('click', submit);
  field.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') submit();
  });
  cancel.addEventListener('click', () => closeReason(td));
  buttons.appendChild(confirm);
  buttons.appendChild(cancel);
  form.appendChild(buttons);
  form.appendChild(said);
  td.appendChild(form);
  field.focus();
}

function closeReason(td: HTMLTableCellElement): void {
  const open = td.getElementsByClassName('review-form')[0];
  if (open?.parentNode) open.parentNode.removeChild(open);
}

function enable(td: HTMLTableCellElement, on: boolean): void {
  Array.prototype.forEach.call(td.querySelectorAll('button, input'), (node: HTMLButtonElement | HTMLInputElement) => {
    node.disabled = !on;
  });
}

function done(u: UnitCompleteness, action: ReviewAction, state: ReviewState, reason: string): Outcome {
  if (action === 'approve') return { text: `已审核通过：${u.name}（第 ${state.version} 版）。`, kind: 'ok' };
  if (action === 'return') return { text: `已退回：${u.name}，原因：${reason}。单位重新报送后可再审核。`, kind: 'ok' };
  return { text: `已重新打开：${u.name}，原因：${reason}。单位现在可以更正该月。`, kind: 'ok' };
}

/** What a refused action tells the town, when the table must be read again; null when it need not. */
function refusal(u: UnitCompleteness, error: unknown): Outcome | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  if (error.code === 'REVIEW_CONFLICT')
    return {
      text: `数据已变化：${u.name}在您查看后有新的报送或更正（您看到的是第 ${u.review.version} 版），已重新读取。请核对最新数据后再审核。`,
      kind: 'error',
    };
  return { text: `${error.message}（已重新读取${u.name}的最新状态）`, kind: 'error' };
}

function send(
  td: HTMLTableCellElement,
  u: UnitCompleteness,
  period: string,
  action: ReviewAction,
  reason: string,
  reload: Reload,
): Promise<void> {
  const body: { action: ReviewAction; version: number; reason?: string } = { action, version: u.review.version };
  if (reason) body.reason = reason;
  enable(td, false);
  setStatus('review-status', `正在提交：${u.name} ${ACTION_LABELS[action]}…`, 'busy');
  return request(unitPath(u.fullCode, 'months', period, 'review'), { method: 'POST', body })
    .then((response) => response.json() as Promise<ReviewState>)
    .then(
      (state) => done(u, action, state, reason),
      (error: unknown) => {
        const outcome = refusal(u, error);
        if (outcome) return outcome;
        enable(td, true);
        const form = td.getElementsByClassName('review-form')[0];
        const said = form?.getElementsByClassName('status')[0];
        if (said) {
          said.textContent = messageOf(error);
          said.className = 'status error';
        }
        setStatus('review-status', `${u.name}：${messageOf(error)}`, 'error');
        return null;
      },
    )
    .then((outcome) => {
      if (!outcome) return undefined;
      return reload()
        .catch(() => null)
        .then(() => {
          setStatus('review-status', outcome.text, outcome.kind);
          noteRow(u.fullCode, outcome);
          const history = $('unit-history');
          if (history.getAttribute('data-unit') === u.fullCode && history.getAttribute('data-period') === period)
            showHistory(history, u.fullCode, period).catch(() => null);
        });
    });
}

/** The outcome, said again in the unit's rebuilt row (on a phone the status line is far up). */
function noteRow(fullCode: string, outcome: Outcome): void {
  const rows = $('completeness').getElementsByTagName('tr');
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (!row || row.getAttribute('data-full-code') !== fullCode) continue;
    const actions = row.getElementsByClassName('actions')[0];
    if (actions) actions.appendChild(el('p', { class: `review-note ${outcome.kind}`, role: 'status' }, outcome.text));
  }
}
