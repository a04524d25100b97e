/**
 * A notice as group-robot markdown: the same document for the three robots, each with only the
 * markup its client renders neutralised in the user's text. The document keeps markup and text
 * apart (`MarkLine`), so that shortening a line too long for a message (split.ts) cuts the text
 * and never the markup around it.
 */
import type { Notice, RobotKind } from '../notice.ts';

/** One rendered line: `before` and `after` are markup, `text` the neutralised user text. */
export interface MarkLine {
  readonly before: string;
  readonly text: string;
  readonly after: string;
}

interface MarkSection {
  readonly heading?: MarkLine;
  readonly lines: readonly MarkLine[];
}

export interface MarkDoc {
  /** Plain text (one line): each robot puts it where its title goes, escaped there if need be. */
  readonly title: string;
  readonly sections: readonly MarkSection[];
  /** The closing `[打开村报页面](url)` line, never shortened. */
  readonly link?: string;
}

/*
 * Why full-width look-alikes rather than backslashes: none of the three platforms documents a
 * backslash escape for its markdown subset (a stray `\*` may show as typed), while `＊` `［` `＜`
 * read the same to a Chinese reader and can never open markup. Each set holds only what that
 * client parses: WeCom bold/links/code/`<font>`; DingTalk adds `_` emphasis; Feishu adds `~~`.
 */
const FULL_WIDTH: Readonly<Record<string, string>> = {
  '*': '＊',
  _: '＿',
  '[': '［',
  ']': '］',
  '`': '｀',
  '<': '＜',
  '>': '＞',
  '~': '～',
};
const SPECIAL: Readonly<Record<RobotKind, RegExp>> = {
  wecom: /[*[\]`<>]/g,
  dingtalk: /[*_[\]`<>]/g,
  feishu: /[*_[\]`<>~]/g,
};
/** At a line's start these open a heading, a list or a quote (after `- ` too: a nested block). */
const LINE_START: Readonly<Record<string, string>> = { '#': '＃', '-': '－', '+': '＋' };

/** `text` as literal text in `kind`'s markdown: one line, no markup of its own. */
export function escapeMarkdown(text: string, kind: RobotKind): string {
  const oneLine = text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  const neutral = oneLine.replace(SPECIAL[kind], (char) => FULL_WIDTH[char] ?? char);
  const first = neutral.charAt(0);
  return (LINE_START[first] ?? first) + neutral.slice(1);
}

/** The notice as a markdown document for `kind`'s robot. */
export function markdownDoc(notice: Notice, kind: RobotKind): MarkDoc {
  const sections = notice.sections
    .map((section) => ({
      heading: section.heading?.trim() ? boldLine(escapeMarkdown(section.heading, kind)) : undefined,
      lines: section.lines.filter((line) => line.trim() !== '').map((line) => itemLine(escapeMarkdown(line, kind))),
    }))
    .filter((section) => section.heading !== undefined || section.lines.length > 0);
  const title = notice.title.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  return notice.link ? { title, sections, link: linkLine(notice.link) } : { title, sections };
}

function boldLine(text: string): MarkLine {
  return { before: '**', text, after: '**' };
}

function itemLine(text: string): MarkLine {
  return { before: '- ', text, after: '' };
}

/** The link as the reader's last line; characters that would end the `(…)` are percent-encoded. */
function linkLine(url: string): string {
  const safe = url.trim().replace(/[\s()<>[\]]/g, (char) => (char.charCodeAt(0) < 0x80 ? `%${hex(char)}` : encodeURIComponent(char)));
  return `[打开村报页面](${safe})`;
}

function hex(char: string): string {
  return char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0');
}

/** A line as it goes into a message. */
export function lineText(line: MarkLine): string {
  return line.before + line.text + line.after;
}
