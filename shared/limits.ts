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
