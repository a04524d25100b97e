/**
 * What a function loads at cold start: the static import closure of each handler. The
 * heavy libraries of one path — ECharts (charts), docx and the rasterizer (the report as a
 * document), the workbook reader, the mail transports (nodemailer), the S3 presigner (an
 * upload), the page's 77 KiB of HTML, the schemas of the API's answers (the OpenAPI
 * document's) — are reached only through `import()`, so a path that draws nothing, or a
 * CSV, does not load them (bundle size is cold start; the bench measures it,
 * tests/bench/bundles.ts). Type-only imports are erased and not followed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importsOf } from '../support/imports.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HANDLERS = ['api', 'authorizer', 'ingest', 'reconcile', 'summarize'].map((f) => `functions/${f}/handler.ts`);
/** Packages a cold start must not load, and the repository modules that are lazy by design. */
const LAZY_PACKAGES = [/^echarts(\/|$)/, /^zrender(\/|$)/, /^docx$/, /^@resvg\//, /^nodemailer(\/|$)/, /^@aws-sdk\/s3-presigned-post$/];
const LAZY_MODULES = [
  /^shared\/web\/page\.generated\.ts$/,
  /^shared\/charts\/svg\.ts$/,
  /^shared\/charts\/png\.ts$/,
  /^shared\/report-docx\.ts$/,
  /^shared\/xlsx\/read\//,
  // What the API answers is described for the OpenAPI document only: no handler makes those schemas.
  /^shared\/api\/(answer|summary|desk|gateway)-schemas\.ts$/,
  /^shared\/api\/answers\.ts$/,
  /^shared\/api\/openapi/,
  // The notices' dispatcher and channels: loaded by the first run that sends one.
  /^shared\/notices\/(dispatch|channels|notify)\.ts$/,
];

/** `import type` and `export type` lines carry no code at run time. */
const typeOnly = (source: string, specifier: string) =>
  new RegExp(`(import|export)\\s+type\\s[^;]*?from\\s+['"]${specifier.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]`).test(source);

/** Every repository file and package a file loads statically, transitively. */
function staticClosure(entry: string): { files: Set<string>; packages: Map<string, string> } {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const source = readFileSync(join(ROOT, file), 'utf8');
    for (const imp of importsOf(file, source)) {
      if (imp.dynamic || typeOnly(source, imp.specifier)) continue;
      if (imp.target.startsWith('node:')) continue;
      if (existsSync(join(ROOT, imp.target)) && imp.target.endsWith('.ts')) visit(imp.target);
      else if (!imp.target.includes('/') || !imp.target.startsWith('shared/')) packages.set(imp.target, file);
    }
  };
  visit(entry);
  return { files, packages };
}

describe('the cold start of each function', () => {
  for (const handler of HANDLERS) {
    it(`${handler} loads no chart, document or workbook library before a request needs it`, () => {
      // Act
      const { files, packages } = staticClosure(handler);

      // Assess
      const heavy = [...packages].filter(([p]) => LAZY_PACKAGES.some((r) => r.test(p))).map(([p, by]) => `${p} (by ${by})`);
      const lazy = [...files].filter((f) => LAZY_MODULES.some((r) => r.test(f)));
      expect(files.size).toBeGreaterThan(3);
      expect(heavy).toEqual([]);
      expect(lazy).toEqual([]);
    });
  }

  // A module that a lazy chunk shares with the cold start is split into a chunk of its
  // own. The count matters little (23 → 2 chunks measured 1.5 % faster); what the mailer
  // keeps out of the cold start is the code under it.
  for (const handler of ['functions/api/handler.ts', 'functions/summarize/handler.ts']) {
    it(`the mailer, loaded by ${handler}'s first send, shares no module with its cold start`, () => {
      // Prepare
      const cold = staticClosure(handler).files;

      // Act
      const shared = [...staticClosure('functions/commons/mailer.ts').files].filter((f) => cold.has(f));

      // Assess
      expect(cold.has('shared/mail/config.ts')).toBe(true);
      expect(shared).toEqual([]);
    });
  }

  it('finds a planted static import of a lazy library', () => {
    const planted = importsOf('shared/x.ts', "import * as echarts from 'echarts/core';\nconst later = () => import('docx');");
    expect(planted.filter((i) => !i.dynamic).map((i) => i.target)).toEqual(['echarts/core']);
    expect(planted.filter((i) => i.dynamic).map((i) => i.target)).toEqual(['docx']);
  });
});
