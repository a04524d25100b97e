/**
 * Builds the secretaries' page from web/: the TypeScript bundled by esbuild for old
 * browsers, the CSS minified, both inlined into web/page.html, and the CSP that admits
 * exactly those two inline blocks by their SHA-256 (no 'unsafe-inline').
 *
 * Where the built page lives: `shared/web/page.generated.ts`, checked in and written by
 * `npm run build:web` (tests/unit/page.test.ts fails when it is stale). So the API serves
 * a constant: tsx runs it with no build step after `npm ci`, the Lambda bundle carries it
 * as a ~40 KB string with no file to read at cold start and no change to CDK's bundling,
 * and no esbuild is needed at run time.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync, transformSync, type Metafile } from 'esbuild';

export interface BuiltPage {
  readonly html: string;
  readonly csp: string;
  /** The files the script was bundled from (relative to the repository), for the tests. */
  readonly inputs: readonly string[];
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WEB = join(ROOT, 'web');
const GENERATED = join(ROOT, 'shared', 'web', 'page.generated.ts');

/**
 * The browsers the page must run on: office PCs' Chromium-based browsers (360, QQ,
 * Sogou, old Chrome) from Chromium 70, Firefox 68 ESR, and iPhones stuck on iOS 12 —
 * written `es2017`, the language level Safari 12 runs, because esbuild refuses the
 * target `safari12` outright (its table marks a corner of Safari's destructuring as
 * broken until 14.1, which it cannot lower). esbuild lowers newer syntax (`?.`, `??`,
 * object spread) for these; it adds no polyfills, so the page calls nothing newer (no
 * Object.fromEntries, replaceAll, Promise.allSettled, regex lookbehind).
 */
const BROWSERS = ['es2017', 'chrome70', 'firefox68', 'edge79'];

/** Where the script and the style go in web/page.html. */
const STYLE_SLOT = '<link rel="stylesheet" href="page.css">';
const SCRIPT_SLOT = '<script src="main.ts"></script>';

/** Everything of today's CSP but script and style, which are admitted by hash. */
const POLICY = [
  "default-src 'none'",
  // blob: the charts, fetched with the token and shown as <img> (web/panels/charts.ts).
  "img-src 'self' data: blob:",
  "connect-src 'self' https: http://127.0.0.1:* http://localhost:*",
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
];

function sha256Source(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

export function buildPage(): BuiltPage {
  const script = bundleScript();
  const style = transformSync(readFileSync(join(WEB, 'page.css'), 'utf8'), { loader: 'css', minify: true, target: BROWSERS }).code.trim();
  if (script.code.includes('</script') || style.includes('</style'))
    throw new Error('the page: a closing tag inside the inlined script or style');
  const html = fill(
    fill(readFileSync(join(WEB, 'page.html'), 'utf8'), STYLE_SLOT, `<style>${style}</style>`),
    SCRIPT_SLOT,
    `<script>${script.code}</script>`,
  );
  const [defaults, ...rest] = POLICY;
  const csp = [defaults, `script-src ${sha256Source(script.code)}`, `style-src ${sha256Source(style)}`, ...rest].join('; ');
  return { html, csp, inputs: script.inputs };
}

function bundleScript(): { code: string; inputs: string[] } {
  const result = buildSync({
    entryPoints: [join(WEB, 'main.ts')],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: BROWSERS,
    minify: true,
    write: false,
    metafile: true,
    charset: 'utf8',
    legalComments: 'none',
    logLevel: 'silent',
  });
  const inputs = Object.keys((result.metafile as Metafile).inputs);
  // Browser-safe by construction: a Node built-in or zod in the page is a mistake of an import.
  const wrong = inputs.filter((file) => file.startsWith('node:') || file.includes('node_modules/'));
  if (wrong.length > 0) throw new Error(`the page bundles what a browser must not: ${wrong.join(', ')}`);
  const file = result.outputFiles[0];
  if (!file) throw new Error('the page: esbuild wrote no script');
  return { code: file.text.trim(), inputs };
}

/** `template` with its one `slot` replaced (by a function: `$&` in the script stays as is). */
function fill(template: string, slot: string, content: string): string {
  const at = template.indexOf(slot);
  if (at < 0 || template.indexOf(slot, at + 1) >= 0) throw new Error(`web/page.html must hold ${slot} once`);
  return template.replace(slot, () => content);
}

/** The checked-in module the API imports (shared/web/page.ts). */
function generatedModule(page: BuiltPage): string {
  return [
    '// Generated from web/ by `npm run build:web` (shared/web/build.ts): do not edit.',
    '// tests/unit/page.test.ts fails when this is stale.',
    `export const PAGE_HTML = ${JSON.stringify(page.html)};`,
    `export const PAGE_CSP = ${JSON.stringify(page.csp)};`,
    '',
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const page = buildPage();
  writeFileSync(GENERATED, generatedModule(page));
  console.log(`wrote ${GENERATED}: ${Buffer.byteLength(page.html)} bytes of HTML`);
}
