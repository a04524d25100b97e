/**
 * What a summary's mail carries attached: the summary as JSON, as CSV for Excel, and as
 * an Excel workbook — apart from the mails' text (shared/mail/parts.ts), which the robots'
 * notices share without the workbook writer.
 */
import type { Attachment } from '../ports/mail.ts';
import type { PublishedSummary } from '../ports/summaries.ts';
import type { Registry } from '../registry.ts';
import { summaryWorkbook } from '../workbooks/summary.ts';
import { XLSX_TYPE } from '../xlsx/write/model.ts';
import { summaryCsv } from './summary-csv.ts';

export function attachmentsOf(summary: PublishedSummary, registry: Registry): Attachment[] {
  const base = `${summary.kind}-${summary.period}-v${summary.revision}`;
  return [
    { filename: `${base}.json`, content: JSON.stringify(summary, null, 2), contentType: 'application/json; charset=utf-8' },
    { filename: `${base}.csv`, content: summaryCsv(summary, registry), contentType: 'text/csv; charset=utf-8' },
    { filename: `${base}.xlsx`, content: summaryWorkbook(summary, registry), contentType: XLSX_TYPE },
  ];
}
