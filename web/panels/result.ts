/**
 * The check's outcome: accepted → per unit-month what the upload changed (首次报送 / 更正：…；
 * 其余 n 项不变), the figures as stored (`GET /v1/orgs/{town}/units/{unit}/submissions/{month}`,
 * labelled from the catalogue) and any warnings; a locked month (PERIOD_LOCKED) said as such;
 * a form posted twice (`reused`) said too; rejected → the problems by row and column.
 */
import { chineseMonth } from '../../shared/period.ts';
import { getJson, messageOf } from '../app/api.ts';
import { shortCode } from '../app/codes.ts';
import { changeSummary } from '../app/changes.ts';
import { unitPath } from '../app/org.ts';
import { catalogueOrNone, keyInfo, labelOf, orderOf, unitName } from '../app/catalogue.ts';
import { $, bodyOf, cell, clear, el, messageRow, setStatus, show } from '../app/dom.ts';
import { beijing, formatNumber } from '../app/format.ts';
import { can, session } from '../app/session.ts';
import type { Finding, ReusedObject, Submissions, UploadedSubmission, UploadStatus } from '../app/types.ts';
import { bytesText } from '../../shared/limits.ts';
import { loadCompleteness } from './completeness.ts';
import { loadMyMonths } from './my-months.ts';

/** At most this many submissions of one file are shown (a town's file may hold a year of every unit). */
const SHOWN_SUBMISSIONS = 20;

interface Loaded {
  readonly sub: UploadedSubmission;
  readonly body?: Submissions;
  readonly error?: unknown;
}

export function showOutcome(status: UploadStatus, generation: number): Promise<void> {
  show($('upload-progress'), false);
  const result = $('result');
  result.setAttribute('data-status', status.status);
  result.setAttribute('data-upload-id', status.uploadId);
  clear($('figures'));
  $('result-note').textContent = '';
  const accepted = status.status === 'accepted';
  const subs = status.submissions || [];
  const counted = subs.filter((s) => s.state !== 'locked');
  // Nothing counted because every month is locked: accepted with only locked months, or refused for the lock alone.
  const lockedOnly = accepted
    ? subs.length > 0 && !counted.length
    : lockedFindings(status.errors).length > 0 && status.errors.every((f) => f.code === 'PERIOD_LOCKED');
  const late = status.warnings.some((w) => w.code === 'LATE');
  $('result-title').textContent = titleOf(status, lockedOnly, late);
  setStatus('upload-status', statusText(status, lockedOnly), accepted && !lockedOnly ? 'ok' : 'error');
  renderProblems(status.errors, status.warnings);
  renderReused(status.reused || []);
  subs
    .filter((s) => s.state === 'locked')
    .forEach((s) => {
      $('figures').appendChild(lockedNote(s, status.errors));
    });
  show(result, true);
  if (session.me && session.me.role === 'village') loadMyMonths().catch(() => null);
  if (!accepted) {
    result.scrollIntoView({ block: 'start' });
    return Promise.resolve();
  }
  noteSubmissions(subs);
  const shown = counted.slice(0, SHOWN_SUBMISSIONS);
  return catalogueOrNone()
    .then(() => Promise.all(shown.map(loadSubmission)))
    .then((loaded) => {
      if (generation !== session.generation) return;
      loaded.forEach((item) => {
        $('figures').appendChild(changesNote(item.sub));
        $('figures').appendChild(figuresTable(item));
      });
      if (session.me && can(session.me.role, 'town')) loadCompleteness().catch(() => null);
      result.scrollIntoView({ block: 'start' });
    });
}

function titleOf(status: UploadStatus, lockedOnly: boolean, late: boolean): string {
  if (lockedOnly) return '该月已锁定，数据没有计入';
  if (status.status === 'accepted') return late ? '已接收（迟报）' : '已接收';
  return '未通过检查，文件没有被接收';
}

function statusText(status: UploadStatus, lockedOnly: boolean): string {
  const locked = lockedFindings(status.errors)[0];
  if (lockedOnly) return `该月已锁定，不能再报送或更正，数据没有计入。${locked ? locked.message : ''}如需更正，请联系镇里重新打开该月。`;
  if (status.status === 'accepted') return '已接收：文件已通过检查，数据已入库。';
  return '文件有问题，没有被接收。请按下表逐条修改后重新上传。';
}

const lockedFindings = (errors: readonly Finding[]) => errors.filter((f) => f.code === 'PERIOD_LOCKED');

/** Why a unit-month was not counted: the PERIOD_LOCKED finding about it (or the file's). */
function lockedNote(s: UploadedSubmission, errors: readonly Finding[]): HTMLParagraphElement {
  const findings = lockedFindings(errors);
  const own = findings.filter((f) => f.period === s.period && (!f.unit || shortCode(f.unit) === shortCode(s.unit)))[0] || findings[0];
  const why = own ? own.message : '该月已锁定（已审核，或已过锁定日）。';
  const note = el('p', { class: 'changes locked', 'data-unit': s.unit, 'data-period': s.period, 'data-state': s.state });
  note.textContent = `${unitName(s.unit)} · ${chineseMonth(s.period)}：已锁定，本次数据没有计入。${why}`;
  return note;
}

/** What the upload changed in a unit-month: 首次报送, or the correction's change list. */
function changesNote(s: UploadedSubmission): HTMLParagraphElement {
  const note = el('p', { class: 'changes', 'data-unit': s.unit, 'data-period': s.period, 'data-state': s.state });
  if (s.version !== undefined) note.setAttribute('data-version', String(s.version));
  const version = s.version !== undefined ? `（第 ${s.version} 版）` : '';
  note.textContent = `${unitName(s.unit)} · ${chineseMonth(s.period)}${version}：${changeSummary(s, labelOf)}`;
  return note;
}

/** A form posted twice: the second file is recorded and counted nowhere (UPLOAD_REUSED). */
function renderReused(reused: readonly ReusedObject[]): void {
  const node = $('result-reused');
  const times = reused.map((r) => `${beijing(r.receivedAt)}收到的 ${bytesText(r.size)}`).join('、');
  node.textContent = reused.length ? `注意：表单被重复提交，第二份文件未计入（${times}）。以上结果只含第一份文件。` : '';
  node.className = reused.length ? 'reused' : '';
  show(node, reused.length > 0);
}

/** Says where the file's months differ from the one chosen, what was superseded, and what is not listed. */
function noteSubmissions(subs: readonly UploadedSubmission[]): void {
  const notes: string[] = [];
  const chosen = session.lastPeriod;
  const others = subs.filter((s) => chosen && s.period !== chosen);
  if (others.length && subs.length === others.length) {
    const months = others.map((s) => s.period).filter((p, i, a) => a.indexOf(p) === i);
    notes.push(`注意：文件中的月份是 ${months.join('、')}，与所选月份 ${chosen} 不同，数据按文件中的月份入库。`);
  }
  if (subs.some((s) => s.state === 'superseded')) notes.push('其中标为“已被替换”的月份已有更晚的报送，以更晚的为准。');
  const note = $('result-note');
  note.textContent = notes.join(' ');
  if (subs.length > SHOWN_SUBMISSIONS) note.textContent += ` 本文件共含 ${subs.length} 份报表，下面列出前 ${SHOWN_SUBMISSIONS} 份。`;
}

/** A unit's month, by its town's route (`sub.unit` is the full code `EC/V06`). */
function loadSubmission(sub: UploadedSubmission): Promise<Loaded> {
  return getJson<Submissions>(unitPath(sub.unit, 'submissions', sub.period)).then(
    (body) => ({ sub, body }),
    (error: unknown) => ({ sub, error }),
  );
}

function figuresTable(item: Loaded): HTMLTableElement {
  const s = item.sub;
  const table = el('table', { class: 'figures cards', 'data-unit': s.unit, 'data-period': s.period });
  const caption = `${item.body ? item.body.unitName : unitName(s.unit)} · ${chineseMonth(s.period)}${s.state === 'superseded' ? '（已被替换）' : ''} 入库数据`;
  table.appendChild(el('caption', null, caption));
  const head = el('thead');
  const hr = el('tr');
  ['指标', '数值', '计量单位'].forEach((h) => {
    hr.appendChild(el('th', { scope: 'col' }, h));
  });
  head.appendChild(hr);
  table.appendChild(head);
  const tbody = el('tbody');
  table.appendChild(tbody);
  const current = item.body ? item.body.current : null;
  if (item.error !== undefined || !current) {
    tbody.appendChild(messageRow(item.error !== undefined ? messageOf(item.error) : '查不到该月的现行数据。'));
    return table;
  }
  const values = current.values || {};
  const catalogue = session.catalogue;
  // Figures before zeros, each group in the catalogue's order.
  const keys = Object.keys(values).sort((a, b) => {
    const za = values[a] === 0 ? 1 : 0;
    const zb = values[b] === 0 ? 1 : 0;
    if (za !== zb) return za - zb;
    return orderOf(catalogue, a) - orderOf(catalogue, b) || (a < b ? -1 : a > b ? 1 : 0);
  });
  keys.forEach((key) => {
    const value = values[key];
    const info = keyInfo(catalogue, key);
    const row = el('tr', { 'data-key': key, class: value === 0 ? 'zero' : 'nonzero' });
    row.appendChild(cell('label', '指标', info ? info.label : key));
    const v = cell('value', '数值', formatNumber(value));
    v.setAttribute('data-value', String(value));
    row.appendChild(v);
    row.appendChild(cell('unit', '计量单位', info ? info.unit : ''));
    tbody.appendChild(row);
  });
  if (!keys.length) tbody.appendChild(messageRow('该月没有填报任何数值。'));
  return table;
}

const orDash = (text: string | null | undefined): string => (text === null || text === undefined ? '—' : text);

function renderProblems(errors: readonly Finding[], warnings: readonly Finding[]): void {
  const tbody = bodyOf('problems');
  clear(tbody);
  const all = errors.map((f) => ({ f, kind: 'error' })).concat(warnings.map((f) => ({ f, kind: 'warning' })));
  all.forEach(({ f, kind }) => {
    const tr = el('tr', { class: kind, 'data-code': f.code });
    tr.appendChild(cell('kind', '类别', kind === 'error' ? '错误' : '提醒'));
    tr.appendChild(cell('row', '行', f.row === null || f.row === undefined ? '整个文件' : String(f.row)));
    tr.appendChild(cell('column', '列', orDash(f.column)));
    tr.appendChild(cell('value', '内容', orDash(f.value)));
    tr.appendChild(cell('message', '说明', f.message));
    tbody.appendChild(tr);
  });
  $('problems-title').textContent = errors.length
    ? `问题（共 ${errors.length} 处错误${warnings.length ? `，${warnings.length} 条提醒` : ''}）`
    : '提醒（文件已接收，请核对）';
  show($('problems-block'), all.length > 0);
}
