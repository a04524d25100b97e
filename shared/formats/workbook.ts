/**
 * Whether a file is a workbook, and the workbook reader loaded only then: CSV and JSON
 * uploads (and the bundles that only meet them) never load the xlsx code.
 */
import type { Collector } from '../collector.ts';
import type { UploadFormat } from '../layout.ts';
import type { TableFormat } from './table.ts';

export interface WorkbookRead {
  readonly format?: TableFormat;
  /** The sheet the figures were read from. */
  readonly sheet?: string;
}

export type ReadWorkbook = (bytes: Uint8Array, collector: Collector) => WorkbookRead;

/** A ZIP (.xlsx, or another zipped format) or an OLE2 compound file (.xls, an encrypted .xlsx). */
export function isWorkbook(bytes: Uint8Array): boolean {
  const [b0, b1, b2, b3] = bytes;
  return (b0 === 0x50 && b1 === 0x4b && b2 === 0x03 && b3 === 0x04) || (b0 === 0xd0 && b1 === 0xcf && b2 === 0x11 && b3 === 0xe0);
}

/** The format an upload of these bytes has: a workbook, JSON (an object or array), else CSV. */
export function uploadFormatOf(bytes: Uint8Array): UploadFormat {
  if (isWorkbook(bytes)) return 'xlsx';
  const start = new TextDecoder()
    .decode(bytes.subarray(0, 64))
    .replace(/^\uFEFF/, '')
    .trimStart();
  return start.startsWith('{') || start.startsWith('[') ? 'json' : 'csv';
}

/** The reader, loaded once, when these bytes are a workbook. */
export async function workbookReaderFor(bytes: Uint8Array): Promise<ReadWorkbook | undefined> {
  if (!isWorkbook(bytes)) return undefined;
  return (await import('./xlsx-file.ts')).readWorkbookFile;
}
