/**
 * Parse+validate throughput of a ~2 MiB .xlsx (the bench's wide file as a workbook), against
 * the library's own bare read of the same bytes: fflate inflating every part (what any
 * reader on it must do first), in the same process.
 */
import { unzipSync } from 'fflate';
import { checkFile } from '../../shared/check.ts';
import { readCsv } from '../../shared/csv.ts';
import { readWorkbookFile } from '../../shared/formats/xlsx-file.ts';
import type { CellInput } from '../../shared/xlsx/write/model.ts';
import { writeWorkbook } from '../../shared/xlsx/write/workbook.ts';
import { isolated, type BenchFigures } from './measure.ts';
import { wideFile } from './parse.ts';

/** Rows of the wide file kept so that the workbook is about 2 MiB. */
const ROWS = 8_000;

/** A wide CSV's header and first `maxRows` rows as a sheet's rows: the values (from the third column) as numbers. */
export function sheetRowsOf(csv: string, maxRows = Number.POSITIVE_INFINITY): CellInput[][] {
  const rows: CellInput[][] = [];
  readCsv(csv, ',', (record) => {
    rows.push(record.cells().map((c, i) => (i >= 2 && rows.length > 0 ? Number(c) : c)));
    return rows.length > maxRows ? 'stop' : undefined;
  });
  return rows;
}

export function xlsxFile(): { bytes: Uint8Array; registry: ReturnType<typeof wideFile>['registry']; rows: number } {
  const { bytes, registry } = wideFile();
  const rows = sheetRowsOf(new TextDecoder().decode(bytes), ROWS);
  return { bytes: writeWorkbook({ title: 'bench', sheets: [{ name: '月报表', rows }] }), registry, rows: rows.length - 1 };
}

const CONTEXT = { uploader: { role: 'admin' } as const, now: new Date('2025-01-10T00:00:00+08:00'), maxBytes: 64 * 1024 * 1024 };

export function xlsxContenders(): Record<string, () => void> {
  const { bytes, registry, rows } = xlsxFile();
  return {
    cunbao: () => {
      const result = checkFile(bytes, { ...CONTEXT, registry, workbook: readWorkbookFile });
      if (result.status !== 'accepted' || result.submissions.length !== rows)
        throw new Error(`bench workbook not accepted whole: ${JSON.stringify(result.errors.slice(0, 3))}`);
    },
    fflateUnzip: () => {
      const parts = unzipSync(bytes);
      if (!parts['xl/worksheets/sheet1.xml']) throw new Error('fflate did not inflate the sheet');
    },
  };
}

export function benchParseXlsx(processes: number, runs: number): BenchFigures {
  const { bytes, rows } = xlsxFile();
  const mib = bytes.length / 1024 / 1024;
  const seconds = isolated('parseXlsx', ['cunbao', 'fflateUnzip'], processes, runs);
  return {
    fileMiB: round(mib),
    rows,
    runs: processes * runs,
    cunbaoMiBps: round(mib / seconds.cunbao!),
    fflateUnzipMiBps: round(mib / seconds.fflateUnzip!),
    cunbaoSeconds: round(seconds.cunbao!),
    ratio: round(seconds.fflateUnzip! / seconds.cunbao!),
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
