/**
 * The check's outcome: accepted → the figures as stored (`GET /v1/orgs/{town}/units/
 * {unit}/submissions/{month}`, labelled from the catalogue) and any warnings; rejected → the
 * problems by row and column.
 */
import { chineseMonth } from '../../shared/period.ts';
import { getJson, messageOf } from '../app/api.ts';
import { shortCode, townCode } from '../app/codes.ts';
import { orgPath } from '../app/org.ts';
import { catalogueOrNone, keyInfo, orderOf, unitName } from '../app/catalogue.ts';
import { $, bodyOf, cell, clear, el, messageRow, setStatus, show } from '../app/dom.ts';
import { formatNumber } from '../app/format.ts';
import { can, session } from '../app/session.ts';
import type { Finding, Submissions, UploadedSubmission, UploadStatus } from '../app/types.ts';
import { loadCompleteness } from './completeness.ts';

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
  const late = status.warnings.some((w) => w.code === 'LATE');
  $('result-title').textContent = accepted ? (late ? '已接收（迟报）' : '已接收') : '未通过检查，文件没有被接收';
  setStatus(
    'upload-status',
    accepted ? '已接收：文件已通过检查，数据已入库。' : '文件有问题，没有被接收。请按下表逐条修改后重新上传。',
    accepted ? 'ok' : 'error',
  );
  renderProblems(status.errors, status.warnings);
  show(result, true);
  if (!accepted) {
    result.scrollIntoView({ block: 'start' });
    return Promise.resolve();
  }
  const subs = status.submissions || [];
  noteSubmissions(subs);
  const shown = subs.slice(0, SHOWN_SUBMISSIONS);
  return catalogueOrNone()
    .then(() => Promise.all(shown.map(loadSubmission)))
    .then((loaded) => {
      if (generation !== session.generation) return;
      loaded.forEach((item) => {
        $('figures').appendChild(figuresTable(item));
      });
      if (session.me && can(session.me.role, 'town')) loadCompleteness().catch(() => null);
      result.scrollIntoView({ block: 'start' });
    });
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
function submissionPath(unit: string, period: string): string {
  return orgPath(townCode(unit), 'units', shortCode(unit), 'submissions', period);
}

function loadSubmission(sub: UploadedSubmission): Promise<Loaded> {
  return getJson<Submissions>(submissionPath(sub.unit, sub.period)).then(
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
