/**
 * The built page (shared/web/build.ts → shared/web/page.generated.ts): fresh, browser-safe,
 * and admitting by hash exactly the inline script and style it holds.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildPage } from '../../shared/web/build.ts';
import { loadPage } from '../../shared/web/page.ts';

const built = buildPage();

/** The CSP's directives by name: `script-src 'sha256-…'` → { 'script-src': ["'sha256-…'"] }. */
function directives(csp: string): Record<string, string[]> {
  return Object.fromEntries(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...sources]) => [name ?? '', sources]),
  );
}

function blocks(html: string, tag: 'script' | 'style'): string[] {
  return [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1] ?? '');
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

describe('the built page', () => {
  it('is what page.generated.ts holds (after editing web/, run `npm run build:web`)', () => {
    // Assess: the strings, not the file's text (a formatter may requote it)
    expect(loadPage(), 'shared/web/page.generated.ts is stale: run `npm run build:web`').toEqual({ html: built.html, csp: built.csp });
  });

  it('admits its one inline script and its one inline style by their SHA-256, and nothing else inline', () => {
    // Prepare
    const { html, csp } = loadPage();
    const [script, ...moreScripts] = blocks(html, 'script');
    const [style, ...moreStyles] = blocks(html, 'style');
    const policy = directives(csp);

    // Assess
    expect(moreScripts).toEqual([]);
    expect(moreStyles).toEqual([]);
    expect(script?.length).toBeGreaterThan(1000);
    expect(style?.length).toBeGreaterThan(1000);
    expect(policy['script-src']).toEqual([sha256(script ?? '')]);
    expect(policy['style-src']).toEqual([sha256(style ?? '')]);
    expect(csp).not.toContain('unsafe-inline');
    expect(html).not.toMatch(/\sstyle=|\son[a-z]+=/i); // no style attributes, no inline handlers
    expect(html).not.toMatch(/<script\s[^>]*src=|<link\s[^>]*stylesheet/); // nothing fetched
  });

  it('keeps the rest of the policy: nothing by default, the API and S3 to connect to, no forms, no framing', () => {
    // Assess
    expect(directives(loadPage().csp)).toMatchObject({
      'default-src': ["'none'"],
      'img-src': ["'self'", 'data:'],
      'connect-src': ["'self'", 'https:', 'http://127.0.0.1:*', 'http://localhost:*'],
      'form-action': ["'none'"],
      'base-uri': ["'none'"],
      'frame-ancestors': ["'none'"],
    });
  });

  it('gives every table a caption and names each cell for a phone’s cards', () => {
    // Prepare
    const { html } = loadPage();
    const tables = [...html.matchAll(/<table id="([^"]+)"[^>]*>([\s\S]*?)<\/table>/g)];

    // Assess: #problems is introduced by its own heading; the others say what they list
    expect(tables.map((t) => t[1])).toEqual(['problems', 'towns', 'completeness', 'summary-derived', 'summary-towns', 'summary-totals']);
    for (const [, id, body] of tables) if (id !== 'problems') expect(body, `#${id}`).toMatch(/<caption[^>]*>[^<]+<\/caption>/);
    expect(built.inputs).toEqual(expect.arrayContaining(['web/panels/towns.ts', 'web/panels/orgs.ts']));
  });

  it('bundles only web/ and browser-safe shared modules: no Node built-in, no zod (the API types are imported as types)', () => {
    // Assess
    expect(built.inputs.filter((file) => !file.startsWith('web/') && !file.startsWith('shared/'))).toEqual([]);
    expect(built.inputs).toEqual(expect.arrayContaining(['shared/period.ts', 'shared/auth/roles.ts', 'shared/limits.ts', 'web/main.ts']));
    expect(built.inputs).not.toContain('shared/api/schemas.ts');
    expect(built.inputs).not.toContain('shared/auth/tokens.ts');
    expect(loadPage().html).not.toMatch(/node:|require\(/);
  });

  it('keeps the hooks the tests and the town rely on, and says everything in Chinese', () => {
    // Prepare
    const { html } = loadPage();

    // Assess
    for (const id of [
      'token',
      'login',
      'period',
      'deadline',
      'file',
      'upload',
      'upload-progress',
      'result',
      'figures',
      'problems',
      'completeness',
      'towns',
      'org-choice',
      'back-to-district',
      'summary-totals',
      'summary-towns',
    ])
      expect(html).toContain(`id="${id}"`);
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('村报 · 月度统计填报');
  });
});
