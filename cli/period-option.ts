/** `--month YYYY-MM` or `--year YYYY`, exactly one of them (summary, publish, report). */
import { isMonth } from '../shared/period.ts';
import { UsageError } from './environment.ts';

export type PeriodOption = { readonly kind: 'monthly'; readonly period: string } | { readonly kind: 'annual'; readonly period: string };

export function periodOf(values: Record<string, unknown>): PeriodOption {
  const month = values['month'] as string | undefined;
  const year = values['year'] as string | undefined;
  if (month !== undefined && year === undefined) {
    if (!isMonth(month)) throw new UsageError(`--month 应为 YYYY-MM (got ${month})`);
    return { kind: 'monthly', period: month };
  }
  if (year !== undefined && month === undefined) {
    if (!/^20\d\d$/.test(year)) throw new UsageError(`--year 应为 YYYY (got ${year})`);
    return { kind: 'annual', period: year };
  }
  throw new UsageError('请给出 --month YYYY-MM 或 --year YYYY 之一 (one of --month or --year)');
}
