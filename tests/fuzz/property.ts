/**
 * The property every file must have, whatever its bytes (docs/DOMAIN.md#hostile-input):
 * the check answers (never throws), with known codes and Chinese messages, short values,
 * and an accepted file has submissions. Time is measured here, judged by the caller.
 */
import { performance } from 'node:perf_hooks';
import type { FileCheck, Uploader } from '../../shared/check.ts';
import { ERROR_CODES, WARNING_CODES } from '../../shared/findings.ts';
import { check } from '../support/core.ts';

export interface Verdict {
  /** What broke the property; empty when it held. */
  readonly problems: string[];
  readonly ms: number;
  readonly result?: FileCheck;
}

const ERRORS: ReadonlySet<string> = new Set(ERROR_CODES);
const WARNINGS: ReadonlySet<string> = new Set(WARNING_CODES);
const CHINESE = /[\u4e00-\u9fff]/;
/** A finding's value or column: 100 characters and an ellipsis at most. */
const MAX_SHOWN = 101;

/** The uploaders a case is checked as: the admin, a village, its town. */
export const UPLOADERS: readonly Uploader[] = [{ role: 'admin' }, { role: 'village', unit: 'EC/V03' }, { role: 'town', town: 'EC' }];

export function judge(bytes: Uint8Array, uploader: Uploader): Verdict {
  const start = performance.now();
  let result: FileCheck;
  try {
    result = check(bytes, { uploader });
  } catch (error) {
    return { problems: [`threw ${String(error).slice(0, 200)}`], ms: performance.now() - start };
  }
  const ms = performance.now() - start;
  return { problems: problemsOf(result), ms, result };
}

function problemsOf(result: FileCheck): string[] {
  const problems: string[] = [];
  const findings = [...result.errors.map((f) => ({ f, known: ERRORS })), ...result.warnings.map((f) => ({ f, known: WARNINGS }))];
  for (const { f, known } of findings) {
    const at = `${f.code} at ${f.row}/${f.column?.slice(0, 40)}`;
    if (!known.has(f.code)) problems.push(`unknown code ${at}`);
    if (!CHINESE.test(f.message)) problems.push(`message not in Chinese: ${at}`);
    if (f.row !== null && !(Number.isInteger(f.row) && f.row > 0)) problems.push(`bad row ${at}`);
    if ((f.value?.length ?? 0) > MAX_SHOWN || (f.column?.length ?? 0) > MAX_SHOWN) problems.push(`long value or column ${at}`);
  }
  if (result.status === 'accepted') {
    if (result.errors.length > 0) problems.push('accepted with errors');
    if (result.submissions.length === 0) problems.push('accepted without submissions');
  } else if (result.status === 'rejected') {
    if (result.errors.length === 0) problems.push('rejected without an error');
    if (result.submissions.length > 0) problems.push('rejected with submissions');
  } else {
    problems.push(`status ${String(result.status)}`);
  }
  return problems;
}

/** The time a file may take: a second per MiB, and at least a second. */
export function allowedMs(bytes: number): number {
  return Math.max(1000, (1000 * bytes) / (1024 * 1024));
}
