/**
 * CSV edits that know the shape of a sheet: cells added or missing, quotes opened and
 * doubled, long cells, odd Unicode digits, line ends, lines repeated or blank.
 */
import type { Random } from '../random.ts';
import { longRun, type Mutator, ODD_DIGITS, onText, repeated } from './mutator.ts';

/** Edits one line of the text (lines end in `\n`; a `\r` stays with its line). */
function onLine(text: string, random: Random, edit: (line: string, separator: string) => string): string {
  const lines = text.split('\n');
  const i = random.below(lines.length);
  const separator = lines[0]?.includes('\t') && !lines[0].includes(',') ? '\t' : ',';
  lines[i] = edit(lines[i]!, separator);
  return lines.join('\n');
}

/** Edits one cell of a line (cells split naively: quotes are what the fuzzer breaks). */
function onCell(random: Random, edit: (cell: string) => string): (line: string, separator: string) => string {
  return (line, separator) => {
    const cells = line.split(separator);
    const i = random.below(cells.length);
    cells[i] = edit(cells[i]!);
    return cells.join(separator);
  };
}

export const CSV_MUTATORS: readonly Mutator[] = [
  onText('csv.extra-cell', ['csv'], (text, r) =>
    onLine(text, r, (line, sep) => {
      const cells = line.split(sep);
      const extra = repeated(r.pick(['', 'x', '3', '"a,b"']), r.chance(0.8) ? 1 : r.size(10_000), sep);
      cells.splice(r.below(cells.length + 1), 0, extra);
      return cells.join(sep);
    }),
  ),
  onText('csv.missing-cell', ['csv'], (text, r) =>
    onLine(text, r, (line, sep) => {
      const cells = line.split(sep);
      cells.splice(r.below(cells.length), r.chance(0.7) ? 1 : cells.length);
      return cells.join(sep);
    }),
  ),
  onText('csv.quote', ['csv'], (text, r) =>
    onLine(
      text,
      r,
      onCell(r, (cell) => r.pick([`"${cell}"`, `"${cell}`, `${cell}"`, `"${cell.replace(/(.)/, '$1""')}"`, `"${cell}"x`, `""${cell}`])),
    ),
  ),
  onText('csv.long-cell', ['csv'], (text, r) =>
    onLine(
      text,
      r,
      onCell(r, (cell) => cell + longRun(r, r.size(2 << 20)) + r.pick(['', 'x', '3'])),
    ),
  ),
  onText('csv.odd-digit', ['csv'], (text, r) => {
    const digits = [...text.matchAll(/[0-9]/g)];
    if (digits.length === 0) return text;
    const at = r.pick(digits).index;
    return text.slice(0, at) + r.pick(ODD_DIGITS) + text.slice(at + 1);
  }),
  onText('csv.line-ends', ['csv'], (text, r) => text.replace(/\r?\n/g, r.pick(['\n', '\r\n', '\r', '\n\n', '\r\r\n']))),
  onText('csv.repeat-line', ['csv'], (text, r) => onLine(text, r, (line) => repeated(line, r.chance(0.7) ? 2 : r.size(20_000) + 1, '\n'))),
  onText('csv.blank-lines', ['csv'], (text, r) =>
    onLine(text, r, (line, sep) => `${line}\n${repeated(r.pick(['', sep.repeat(5), ' ']).concat('\n'), r.size(50_000))}`),
  ),
];
