/** Units' codes as people and the API write them: the full code `EC/V06` inside the system, the short code `V06` within a town. */

/** `V06` of the full code `EC/V06` (people see short codes within a town); a short code as is. */
export function shortCode(unit: string): string {
  return unit.slice(unit.indexOf('/') + 1);
}

/** `EC` of the full code `EC/V06`; empty for a short code. */
export function townCode(unit: string): string {
  const at = unit.indexOf('/');
  return at < 0 ? '' : unit.slice(0, at);
}
