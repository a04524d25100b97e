/**
 * Long and wide CSV (shared/formats/table.ts reads the layouts). What Excel sheets made
 * by people carry around the data is tolerated: title and "填报单位：…" lines above the
 * header, blank rows, 合计 rows, footers ("填报人：…") with no values, and unit/month
 * cells merged over several rows (exported on the first row only: a blank unit or month
 * takes the one above). A CSV row must line up with its header (RAGGED_ROW).
 */
import type { Collector } from '../collector.ts';
import { readCsv, sniffDelimiter } from '../csv.ts';
import type { DecodedText } from '../decode.ts';
import { readTable, type TableFormat } from './table.ts';

/**
 * Reads a decoded CSV file into the collector, piece by piece (a 10 MiB file is never one
 * string); returns the layout it found, if any.
 */
export function readCsvFile(text: DecodedText, collector: Collector): TableFormat | undefined {
  let defect: ReturnType<typeof readCsv> = null;
  const table = readTable(
    (onRow) => {
      defect = readCsv(text, sniffDelimiter(text.head()), onRow);
    },
    collector,
    { aligned: true },
  );
  const broken = defect as ReturnType<typeof readCsv>;
  if (broken) {
    const detail = broken.reason === 'unclosed-quote' ? `第${broken.row}行的引号（"）没有结束` : `第${broken.row}行的引号后面多了文字`;
    collector.report('MALFORMED', { row: broken.row, column: null, kind: 'csv' }, null, { detail });
  } else table.finish();
  return table.format;
}
