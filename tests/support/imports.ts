/**
 * The imports of a TypeScript source, read without a compiler: static `import … from`,
 * `import '…'`, `export … from` and dynamic `import('…')` (type-only ones too: a type
 * couples layers as much as a value). Comments and template literals are blanked first,
 * so that neither a comment nor the page's inline script counts as an import.
 */
import { dirname, posix } from 'node:path';

export interface Import {
  /** As written. */
  readonly specifier: string;
  /** A repository-relative path for a relative or `#shared/` import; the package name otherwise. */
  readonly target: string;
  /** The names imported (`*` for a namespace or a re-export of everything; [] for a side effect or a dynamic import). */
  readonly names: readonly string[];
  readonly dynamic: boolean;
}

/** The source with comments and template literals replaced by spaces (strings kept: they hold the specifiers). */
export function blankComments(source: string): string {
  let out = '';
  let i = 0;
  let last = ''; // the last significant character: tells a regex literal from a division
  const blank = (text: string) => text.replace(/[^\n]/g, ' ');
  while (i < source.length) {
    const c = source.charAt(i);
    const next = source.charAt(i + 1);
    let end = i + 1;
    if (c === '/' && next === '/') end = source.indexOf('\n', i) === -1 ? source.length : source.indexOf('\n', i);
    else if (c === '/' && next === '*') end = source.indexOf('*/', i + 2) === -1 ? source.length : source.indexOf('*/', i + 2) + 2;
    else if (c === "'" || c === '"' || c === '`' || (c === '/' && (last === '' || '(,=:[!&|?{};+-*%<>~^'.includes(last)))) {
      end = i + 1;
      while (end < source.length && source.charAt(end) !== c && !(c !== '`' && source.charAt(end) === '\n'))
        end += source.charAt(end) === '\\' ? 2 : 1;
      end += 1;
    }
    const token = source.slice(i, end);
    const comment = c === '/' && (next === '/' || next === '*');
    out += comment || c === '`' ? blank(token) : token;
    if (!comment && !/\s/.test(c)) last = token.at(-1) ?? '';
    i = end;
  }
  return out;
}

const STATIC = /\b(?:import|export)\s+(?:type\s+)?([\w$\s,{}*]*?)\s*\bfrom\s*(['"])([^'"\n]+)\2/g;
const SIDE_EFFECT = /\bimport\s*(['"])([^'"\n]+)\1/g;
const DYNAMIC = /\bimport\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g;

/** What a clause imports: `a, { b as c, type d }` → a's default, b, d; `* as ns` → `*`. */
function namesOf(clause: string): string[] {
  if (clause.includes('*')) return ['*'];
  const names: string[] = [];
  const braces = /\{([^}]*)\}/.exec(clause);
  if (braces?.[1])
    for (const part of braces[1].split(',')) {
      const name = part
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)[0]
        ?.trim();
      if (name) names.push(name);
    }
  const outside = clause
    .replace(/\{[^}]*\}/, '')
    .replace(/,/g, ' ')
    .trim();
  if (outside) names.push('default');
  return names;
}

/** Where an import points, from the importing file (both repository-relative, POSIX). */
export function resolveTarget(file: string, specifier: string): string {
  if (specifier.startsWith('#shared/')) return posix.join('shared', specifier.slice('#shared/'.length));
  if (specifier.startsWith('.')) return posix.normalize(posix.join(dirname(file).split('\\').join('/'), specifier));
  return specifier;
}

export function importsOf(file: string, source: string): Import[] {
  const code = blankComments(source);
  const found: Import[] = [];
  const add = (specifier: string, names: string[], dynamic: boolean) =>
    found.push({ specifier, target: resolveTarget(file, specifier), names, dynamic });
  for (const m of code.matchAll(STATIC)) add(m[3] ?? '', namesOf(m[1] ?? ''), false);
  for (const m of code.matchAll(SIDE_EFFECT)) add(m[2] ?? '', [], false);
  for (const m of code.matchAll(DYNAMIC)) add(m[2] ?? '', [], true);
  return found;
}
