/**
 * Where a value sits in a JSON text: the line of each path (`towns[1].units[3].code` →
 * 27), so that a bad configuration file is reported by line as an editor shows it. A
 * small scanner over text already known to be valid JSON (JSON.parse ran first).
 */

/** The 1-based line of every value's path in a valid JSON text (the key's line for members). */
export function jsonLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let i = 0;
  let line = 1;
  const space = () => {
    while (i < text.length && /\s/.test(text[i]!)) if (text[i++] === '\n') line++;
  };
  const string = (): string => {
    const start = i;
    i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: string, at: number): void => {
    space();
    lines.set(path, at);
    const c = text[i];
    if (c === '{') {
      i++;
      space();
      while (text[i] !== '}') {
        space();
        const keyLine = line;
        const key = string();
        space();
        i++; // ':'
        value(path ? `${path}.${key}` : key, keyLine);
        space();
        if (text[i] === ',') i++;
        space();
      }
      i++;
    } else if (c === '[') {
      i++;
      space();
      for (let n = 0; text[i] !== ']'; n++) {
        space();
        value(`${path}[${n}]`, line);
        space();
        if (text[i] === ',') i++;
        space();
      }
      i++;
    } else if (c === '"') {
      string();
    } else {
      while (i < text.length && !/[\s,\]}]/.test(text[i]!)) i++;
    }
  };
  value('', 1);
  return lines;
}

/** The line of a JSON.parse SyntaxError, when the engine says where (`position 42`). */
export function syntaxErrorLine(text: string, error: unknown): number | undefined {
  const position = /position (\d+)/.exec(String((error as Error)?.message))?.[1];
  if (position === undefined) return undefined;
  return text.slice(0, Number(position)).split('\n').length;
}
