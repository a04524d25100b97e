/**
 * Fits a markdown notice into a robot's byte budget: one message when it fits, otherwise parts
 * cut between lines, each titled `（k/n）` and carrying the keyword and the link, so that each
 * part passes keyword security and lets its reader act even if a later part is never delivered.
 * A line is shortened (with `…`, at a character boundary) only when it alone cannot fit a part;
 * past `maxParts` the last part says how many lines it leaves to the page, so nothing is dropped
 * silently. The budget's `measure` is the platform's own (content bytes, or the whole JSON body).
 */
import { lineText, type MarkDoc, type MarkLine } from './markdown.ts';

export interface Part {
  /** Plain text: the notice's title with the keyword and, when split, `（k/n）`. */
  readonly title: string;
  /** Markdown lines, the link last. */
  readonly lines: readonly string[];
}

export interface Budget {
  /** Bytes a part may take, as `measure` counts them. */
  readonly limit: number;
  readonly measure: (part: Part) => number;
}

/** Twenty messages a minute is WeCom's and DingTalk's cap: ten parts leave room for another notice. */
const MAX_PARTS = 10;
/** A title is one line; longer would crowd out the lines it announces. */
const TITLE_MAX_BYTES = 300;
const ELLIPSIS = '…';
const CONTINUED = '（续）';

interface Entry {
  readonly section: number;
  readonly heading: boolean;
  readonly line: MarkLine;
}

/** A line placed in a part, with its section (a blank line goes between sections). */
interface Placed {
  readonly section: number;
  readonly text: string;
}

interface Group {
  readonly placed: readonly Placed[];
  readonly tail?: string;
}

interface Context {
  readonly doc: MarkDoc;
  readonly entries: readonly Entry[];
  readonly budget: Budget;
  /** The title with the widest label a part can get, so that the real label never adds bytes. */
  readonly widestTitle: string;
}

/** `doc` as one or more parts, none over `budget`. */
export function splitMessage(doc: MarkDoc, keyword: string | undefined, budget: Budget, maxParts = MAX_PARTS): Part[] {
  const base = baseTitle(doc.title, keyword);
  const entries = entriesOf(doc);
  const whole = partOf(doc, base, entries.map(placedOf));
  if (budget.measure(whole) <= budget.limit) return [whole];
  if (entries.length === 0) throw new Error(budgetTooSmall(budget));
  const context = { doc, entries, budget, widestTitle: `${base}（${maxParts}/${maxParts}）` };
  const groups = packAll(context, maxParts);
  const parts =
    groups.length === 1
      ? [partOf(doc, base, groups[0]!.placed, groups[0]!.tail)]
      : groups.map((group, index) => partOf(doc, `${base}（${index + 1}/${groups.length}）`, group.placed, group.tail));
  // The real labels and counts are never wider than the reserved ones; checked, as the promise is the point.
  if (parts.some((part) => budget.measure(part) > budget.limit)) throw new Error(budgetTooSmall(budget));
  return parts;
}

function baseTitle(title: string, keyword: string | undefined): string {
  const short = shortenToBytes(title, TITLE_MAX_BYTES);
  const word = keyword?.trim();
  return word && !short.includes(word) ? `【${word}】${short}` : short;
}

function entriesOf(doc: MarkDoc): Entry[] {
  return doc.sections.flatMap((section, index) => [
    ...(section.heading ? [{ section: index, heading: true, line: section.heading }] : []),
    ...section.lines.map((line) => ({ section: index, heading: false, line })),
  ]);
}

function placedOf(entry: Entry): Placed {
  return { section: entry.section, text: lineText(entry.line) };
}

/** A part's lines: sections apart by a blank line, then the tail, then the link. */
function partOf(doc: MarkDoc, title: string, placed: readonly Placed[], tail?: string): Part {
  const lines: string[] = [];
  placed.forEach((line, index) => {
    if (index > 0 && placed[index - 1]!.section !== line.section) lines.push('');
    lines.push(line.text);
  });
  for (const closing of [tail, doc.link]) if (closing !== undefined) lines.push(...(lines.length > 0 ? [''] : []), closing);
  return { title, lines };
}

function fits(context: Context, placed: readonly Placed[], tail?: string): boolean {
  return context.budget.measure(partOf(context.doc, context.widestTitle, placed, tail)) <= context.budget.limit;
}

function packAll(context: Context, maxParts: number): Group[] {
  const groups: Group[] = [];
  let next = 0;
  while (next < context.entries.length) {
    if (groups.length === maxParts - 1) {
      groups.push(lastGroup(context, next));
      break;
    }
    const filled = fillPart(context, next);
    groups.push({ placed: filled.placed });
    next = filled.next;
  }
  return groups;
}

/** The last part allowed: all that is left if it fits, else what fits beside `……（其余 N 行…）`. */
function lastGroup(context: Context, start: number): Group {
  const all = fillPart(context, start);
  if (all.next === context.entries.length) return { placed: all.placed };
  const widestTail = tailText(context.doc, linesLeft(context.entries, start));
  const cut = fillPart(context, start, widestTail);
  return { placed: cut.placed, tail: tailText(context.doc, linesLeft(context.entries, cut.next)) };
}

function tailText(doc: MarkDoc, lines: number): string {
  return doc.link ? `……（其余 ${lines} 行见村报页面）` : `……（其余 ${lines} 行未列出）`;
}

/** Lines from `start` on: items, and headings of sections that have no items. */
function linesLeft(entries: readonly Entry[], start: number): number {
  return entries.slice(start).filter((entry, index) => {
    const after = entries[start + index + 1];
    return !entry.heading || after === undefined || after.section !== entry.section;
  }).length;
}

/** Fills one part from `start`: whole lines while they fit; a line shortened only if alone it cannot. */
function fillPart(context: Context, start: number, tail?: string): { placed: Placed[]; next: number } {
  const { entries } = context;
  const placed: Placed[] = [];
  const continued = continuation(entries, start);
  if (continued) placed.push(headingFitting(context, placed, continued, entries[start]!, tail));
  let next = start;
  for (; next < entries.length; next += 1) {
    const entry = entries[next]!;
    const reserve = reserveAfter(entries, next);
    if (fits(context, [...placed, placedOf(entry), ...reserve], tail)) placed.push(placedOf(entry));
    else if (!mayShorten(entries, start, next)) break;
    else if (reserve.length > 0) placed.push(headingFitting(context, placed, entry, entries[next + 1]!, tail));
    else placed.push(fitting(context, placed, entry, tail, []));
  }
  if (orphanHeading(entries, start, next)) {
    placed.pop();
    next -= 1;
  }
  return { placed, next };
}

/**
 * Room kept after a heading for the least of its first line (`- …`): a heading is placed only
 * with a line under it, and shortening a long heading leaves that line its place.
 */
function reserveAfter(entries: readonly Entry[], index: number): Placed[] {
  const entry = entries[index];
  const following = entries[index + 1];
  if (!entry?.heading || following === undefined || following.heading || following.section !== entry.section) return [];
  return [least(following)];
}

function least(entry: Entry): Placed {
  return placedOf({ ...entry, line: { ...entry.line, text: ELLIPSIS } });
}

/** A heading too long for its part, cut to leave its first line room: whole if it can, else `- …`. */
function headingFitting(context: Context, placed: readonly Placed[], heading: Entry, first: Entry, tail?: string): Placed {
  const shortest = placedOf({ ...heading, line: { ...heading.line, text: ELLIPSIS } });
  const whole = [placedOf(first)];
  return fitting(context, placed, heading, tail, fits(context, [...placed, shortest, ...whole], tail) ? whole : [least(first)]);
}

/** A part that starts inside a section repeats its heading, marked `（续）`. */
function continuation(entries: readonly Entry[], start: number): Entry | undefined {
  const first = entries[start];
  if (first === undefined || first.heading) return undefined;
  const heading = entries.find((entry) => entry.section === first.section && entry.heading);
  if (heading === undefined || entries[start - 1]?.section !== first.section) return undefined;
  return { ...heading, line: { ...heading.line, text: heading.line.text + CONTINUED } };
}

/** Only a part's first line (or the first line under its first heading) is too long alone. */
function mayShorten(entries: readonly Entry[], start: number, index: number): boolean {
  if (index === start) return true;
  const first = entries[start]!;
  return index === start + 1 && first.heading && entries[index]!.section === first.section;
}

/** A heading that would end a part while its lines begin the next one moves with them. */
function orphanHeading(entries: readonly Entry[], start: number, next: number): boolean {
  const last = entries[next - 1];
  const following = entries[next];
  return next - 1 > start && last !== undefined && last.heading && following !== undefined && following.section === last.section;
}

/** `entry` whole if it fits after `placed` (with `reserve` after it), else its text cut to the most that does, plus `…`. */
function fitting(context: Context, placed: readonly Placed[], entry: Entry, tail: string | undefined, reserve: readonly Placed[]): Placed {
  const whole = placedOf(entry);
  const fitsWith = (candidate: Placed) => fits(context, [...placed, candidate, ...reserve], tail);
  if (fitsWith(whole)) return whole;
  const chars = characters(entry.line.text);
  const cut = (count: number): Placed => placedOf({ ...entry, line: { ...entry.line, text: chars.slice(0, count).join('') + ELLIPSIS } });
  if (!fitsWith(cut(0))) throw new Error(budgetTooSmall(context.budget));
  let low = 0;
  let high = chars.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fitsWith(cut(middle))) low = middle;
    else high = middle - 1;
  }
  return cut(low);
}

/** User-perceived characters: a cut between two never splits a surrogate pair or a combining mark. */
const GRAPHEMES = new Intl.Segmenter('zh', { granularity: 'grapheme' });

function characters(text: string): string[] {
  return Array.from(GRAPHEMES.segment(text), (piece) => piece.segment);
}

function shortenToBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let kept = '';
  let bytes = Buffer.byteLength(ELLIPSIS);
  for (const char of characters(text)) {
    bytes += Buffer.byteLength(char);
    if (bytes > maxBytes) break;
    kept += char;
  }
  return kept + ELLIPSIS;
}

function budgetTooSmall(budget: Budget): string {
  return `robot message budget of ${budget.limit} bytes cannot hold the title and link`;
}
