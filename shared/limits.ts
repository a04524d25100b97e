/**
 * Limits a secretary meets, and how sizes are said to people: browser-safe, so the page
 * (web/) checks a chosen file against the same limit the API and the check apply.
 */

/** The largest file accepted (docs/DOMAIN.md#check-codes: TOO_LARGE): 5 MiB. */
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

/** A size for people, to a tenth: `4.2 MB`, `12.5 KB`, `800 字节`. */
export function bytesText(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KB`;
  return `${n} 字节`;
}

/**
 * What an .xlsx may unpack to (docs/DOMAIN.md "File formats"): checked before any XML is
 * parsed, so that a zip bomb is refused (UNREADABLE_WORKBOOK), never run.
 */
export const WORKBOOK_LIMITS = {
  maxUnpackedBytes: 50 * 1024 * 1024,
  maxSheets: 20,
  /** ZIP entries: a workbook of 20 sheets with its styles, rels and a few pictures has far fewer. */
  maxEntries: 1000,
} as const;
