/** The cost model's tables as aligned Markdown, for the terminal and the README alike. */
import { LINES, type Estimate, type LineName } from './model.ts';
import { PRICE_TABLES, type PriceKey, type PriceTable } from './prices.ts';

/** Columns padded to their widest cell; the first `left` left-aligned (labels), the others right-aligned (figures). */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[], left = 1): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const cell = (text: string, i: number) => (i < left ? text.padEnd(widths[i]!) : text.padStart(widths[i]!));
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i < left ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)];
}

/** Money: two decimals from 1 up (with thousands separators), three below, so that small lines still show. */
export function money(value: number): string {
  if (value >= 1) return value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return value.toFixed(3);
}

/** Counts and sizes: up to three significant digits, thousands separated. */
function amount(value: number): string {
  if (value === 0) return '0';
  if (value >= 100) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(3)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}

export function costTable(table: PriceTable, estimates: readonly { label: string; estimate: Estimate }[]): string[] {
  const rows = (Object.keys(LINES) as LineName[]).map((line) => [line, ...estimates.map((e) => money(e.estimate.lines[line]))]);
  rows.push([`**total ${table.currency}**`, ...estimates.map((e) => `**${money(e.estimate.total)}**`)]);
  return markdownTable([`${table.region} (${table.currency}) per month`, ...estimates.map((e) => e.label)], rows);
}

const USAGE: readonly [string, (q: Estimate['quantities']) => number][] = [
  ['Lambda invocations', (q) => q.lambdaRequestsPerMillion * 1e6],
  ['API requests', (q) => q.httpApiPerMillion * 1e6],
  ['Lambda GB-s', (q) => q.lambdaGbSecondArm],
  ['DynamoDB RRU', (q) => q.dynamoRruPerMillion * 1e6],
  ['DynamoDB WRU', (q) => q.dynamoWruPerMillion * 1e6],
  ['DynamoDB stored GB', (q) => q.dynamoStorageGbMonth],
  ['S3 PUT/POST/LIST', (q) => q.s3PutPer1000 * 1000],
  ['S3 GET', (q) => q.s3GetPer1000 * 1000],
  ['S3 stored GB', (q) => q.s3StandardGbMonth],
  ['SQS requests', (q) => q.sqsPerMillion * 1e6],
  ['Scheduler invocations', (q) => q.schedulerPerMillion * 1e6],
  ['log GB ingested', (q) => q.logsIngestGb],
  ['alarms', (q) => q.alarmMonth],
  ['mails (recipients)', (q) => q.mailPer1000 * 1000],
  ['secrets', (q) => q.secretMonth],
];

/** What the month uses (commercial region: SES mail, no SMTP secret). */
export function usageTable(estimates: readonly { label: string; estimate: Estimate }[]): string[] {
  const rows = USAGE.map(([name, pick]) => [name, ...estimates.map((e) => amount(pick(e.estimate.quantities)))]);
  return markdownTable(['usage per month', ...estimates.map((e) => e.label)], rows);
}

/** Every price of both tables side by side, with its basis and source. */
export function pricesTable(): string[] {
  const [first] = PRICE_TABLES;
  const rows = (Object.keys(first!.prices) as PriceKey[]).map((key) => [
    first!.prices[key].unit,
    PRICE_TABLES.map((t) => t.prices[key].source.replace(/^https:\/\//, '')).join(' · '),
    ...PRICE_TABLES.map((t) => `${t.prices[key].value}${t.prices[key].basis === 'estimate' ? ' ≈' : ''}`),
  ]);
  return markdownTable(['price per', 'sources', ...PRICE_TABLES.map((t) => `${t.region} ${t.currency}`)], rows, 2);
}
