/**
 * The layers, enforced on every source file's imports: the core (shared/ outside its
 * adapters) imports no adapter, no AWS SDK, no nodemailer and nothing of the deployment,
 * the functions or the CLI; adapters implement ports and import no use case; functions
 * import nothing of the deployment or the CLI (docs/DESIGN.md).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importsOf, type Import } from '../support/imports.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE_DIRS = ['shared', 'functions', 'infra', 'cli'];

/** What the core may not import: SDKs and transports are the adapters' business. */
const CORE_FORBIDDEN_PACKAGES = [/^@aws-sdk\//, /^@smithy\//, /^nodemailer(\/|$)/];
const OUTER_LAYERS = ['shared/adapters/', 'infra/', 'functions/', 'cli/'];

/**
 * What adapters may import of the core besides its ports (shared/ports/) and the bucket
 * layout: pure types and helpers, never a use case. A module listed with names may be
 * imported for those names only (the rest of it are use cases).
 */
const ADAPTER_MAY_IMPORT: Readonly<Record<string, readonly string[] | 'all'>> = {
  'shared/layout.ts': 'all',
  'shared/findings.ts': 'all',
  'shared/period.ts': 'all',
  'shared/rollup.ts': 'all',
  // A value made on first use (the decoders' schemas): a pure helper.
  'shared/once.ts': 'all',
  // The mail configuration's type: what the mailer factory builds from (its parsing, and
  // zod with it, stays out of the mailer's chunk).
  'shared/mail/config.ts': ['MailConfig'],
  'shared/uploads.ts': ['UploadIntent', 'UploadRecord', 'UploadStatus', 'SubmissionOutcome', 'ReusedObject'],
  // The token list's order and cursor, the typed refusal: not issue/verify/revoke.
  'shared/auth/tokens.ts': ['decodeCursor', 'encodeCursor', 'infoOf', 'listKey', 'pageLimit', 'tokenErrors'],
  // Reading a stored record's principal (which refuses a damaged one): not the request to issue one.
  'shared/auth/principals.ts': ['principalOf'],
  'shared/auth/roles.ts': ['Role'],
};

/**
 * Known violations, each fixed by another branch of issue 10: the coordinator deletes
 * these entries at merge (the test then proves the fix).
 */
const KNOWN_VIOLATIONS: ReadonlySet<string> = new Set([]);

/** Every rule an import breaks, as `file -> target: why`. */
function violations(file: string, imports: readonly Import[]): string[] {
  const found: string[] = [];
  const say = (target: string, why: string) => found.push(`${file} -> ${target}: ${why}`);
  const layer = file.startsWith('shared/adapters/')
    ? 'adapter'
    : file.startsWith('shared/')
      ? 'core'
      : file.startsWith('functions/')
        ? 'function'
        : 'outer';
  for (const { target, names } of imports) {
    const outer = OUTER_LAYERS.find((l) => target.startsWith(l));
    if (layer === 'core' && CORE_FORBIDDEN_PACKAGES.some((p) => p.test(target))) say(target, 'the core imports no SDK or transport');
    if (layer === 'core' && outer) say(target, `the core imports nothing of ${outer}`);
    if (layer === 'adapter' && outer && outer !== 'shared/adapters/') say(target, `adapters import nothing of ${outer}`);
    if (layer === 'adapter' && target.startsWith('shared/') && !outer && !target.startsWith('shared/ports/')) {
      const allowed = ADAPTER_MAY_IMPORT[target];
      const unlisted = allowed === undefined || allowed === 'all' ? [] : names.filter((n) => n === '*' || !allowed.includes(n));
      if (allowed === undefined) say(target, 'adapters import ports and pure helpers, not this module');
      else if (unlisted.length) say(target, `adapters import ports and pure helpers, not ${unlisted.join(', ')}`);
    }
    if (layer === 'function' && (target.startsWith('infra/') || target.startsWith('cli/')))
      say(target, 'functions import nothing of the deployment or the CLI');
  }
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|mts|mjs|js)$/.test(entry.name))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .sort();
}

const known = (violation: string) => KNOWN_VIOLATIONS.has(violation.slice(0, violation.indexOf(':')));

describe('the import checker', () => {
  it('finds static, re-exported, side-effect and dynamic imports, and none in comments or templates', () => {
    // Prepare
    const source = [
      "import type { A, B as C } from '../ports/ledger.ts';",
      "import def, { d } from 'zod';",
      "export * from './x.ts';",
      "import 'node:fs';",
      "// import { no } from '../adapters/commented.ts';",
      "/* export { no } from '../../infra/block.ts'; */",
      "const page = `<script>import x from 'nope'</script>`;",
      "const later = await import('../adapters/ses-mailer.ts');",
      'const text = \'http://example.com\'; import { e } from "#shared/period.ts";',
    ].join('\n');

    // Act
    const found = importsOf('shared/ingest/example.ts', source).map((i) => [i.target, i.names, i.dynamic]);

    // Assess
    expect(found).toEqual([
      ['shared/ports/ledger.ts', ['A', 'B'], false],
      ['zod', ['d', 'default'], false],
      ['shared/ingest/x.ts', ['*'], false],
      ['shared/period.ts', ['e'], false],
      ['node:fs', [], false],
      ['shared/adapters/ses-mailer.ts', [], true],
    ]);
  });

  it('reports a planted violation of each rule', () => {
    // Prepare: one file per layer, each breaking its rule once and keeping it once.
    const planted: Record<string, string> = {
      'shared/ingest/planted.ts':
        "import { S3Client } from '@aws-sdk/client-s3';\nimport type { Ledger } from '../ports/ledger.ts';\nconst m = await import('../adapters/smtp-mailer.ts');",
      'shared/publish/planted.ts': "import { WIRING } from '../../infra/wiring.ts';\nimport nodemailer from 'nodemailer';",
      'shared/adapters/planted.ts':
        "import { publish } from '../publish/publish.ts';\nimport { listKey, issueToken } from '../auth/tokens.ts';\nimport { summaryKey } from '../layout.ts';",
      'functions/planted/handler.ts':
        "export { BUCKET_PREFIXES } from '../../infra/wiring.ts';\nimport { ingestObject } from '../../shared/ingest/ingest.ts';",
    };

    // Act
    const found = Object.entries(planted).flatMap(([file, source]) => violations(file, importsOf(file, source)));

    // Assess
    expect(found.map((v) => v.slice(0, v.indexOf(':')))).toEqual([
      'shared/ingest/planted.ts -> @aws-sdk/client-s3',
      'shared/ingest/planted.ts -> shared/adapters/smtp-mailer.ts',
      'shared/publish/planted.ts -> infra/wiring.ts',
      'shared/publish/planted.ts -> nodemailer',
      'shared/adapters/planted.ts -> shared/publish/publish.ts',
      'shared/adapters/planted.ts -> shared/auth/tokens.ts',
      'functions/planted/handler.ts -> infra/wiring.ts',
    ]);
    expect(found[5]).toMatch(/not issueToken$/);
  });
});

describe('the layers of the source', () => {
  const files = SOURCE_DIRS.flatMap(sourceFiles);
  const all = files.flatMap((file) => violations(file, importsOf(file, readFileSync(join(ROOT, file), 'utf8'))));

  it('reads every source file, and finds their imports', () => {
    // Assess: the walk is not vacuous.
    expect(files).toContain('shared/ingest/ingest.ts');
    expect(files).toContain('functions/reconcile/handler.ts');
    expect(importsOf('shared/ingest/ingest.ts', readFileSync(join(ROOT, 'shared/ingest/ingest.ts'), 'utf8')).length).toBeGreaterThan(5);
  });

  it('keeps the core, the adapters and the functions in their layers', () => {
    // Assess
    expect(all.filter((v) => !known(v))).toEqual([]);
  });

  it('still has each known violation it allows (an entry fixed by its branch is deleted)', () => {
    // Assess
    expect([...KNOWN_VIOLATIONS].filter((k) => !all.some((v) => v.startsWith(`${k}:`)))).toEqual([]);
  });
});
