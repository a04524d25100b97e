/**
 * The built page (shared/web/build.ts → shared/web/page.generated.ts): fresh, browser-safe,
 * and admitting by hash exactly the inline script and style it holds.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildPage } from '../../shared/web/build.ts';
import { loadPage } from '../../shared/web/page.ts';
import { changeSummary, valueText } from '../../web/app/changes.ts';
import { actionsFor, eventText, lockText, stateText, whoText } from '../../web/app/review-state.ts';
import type { ReviewState } from '../../web/app/types.ts';

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
      'img-src': ["'self'", 'data:', 'blob:'],
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
    expect(tables.map((t) => t[1])).toEqual([
      'my-months',
      'problems',
      'towns',
      'completeness',
      'desk-totals',
      'summary-derived',
      'summary-towns',
      'summary-totals',
    ]);
    for (const [, id, body] of tables) if (id !== 'problems') expect(body, `#${id}`).toMatch(/<caption[^>]*>[^<]+<\/caption>/);
    expect(built.inputs).toEqual(expect.arrayContaining(['web/panels/towns.ts', 'web/panels/orgs.ts']));
  });

  it('bundles only web/ and browser-safe shared modules: no Node built-in, no zod (the API types are imported as types)', () => {
    // Assess
    expect(built.inputs.filter((file) => !file.startsWith('web/') && !file.startsWith('shared/'))).toEqual([]);
    expect(built.inputs).toEqual(expect.arrayContaining(['shared/period.ts', 'shared/auth/roles.ts', 'shared/limits.ts', 'web/main.ts']));
    expect(built.inputs).not.toContain('shared/api/schemas.ts');
    expect(built.inputs).not.toContain('shared/api/answer-schemas.ts');
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
      'my-months',
      'my-history',
      'review-status',
      'unit-history',
      'result-reused',
    ])
      expect(html).toContain(`id="${id}"`);
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('村报 · 月度统计填报');
  });
});

const LABELS: Record<string, string> = { general_hazards_found: '排查一般隐患', hazards_rectified: '隐患完成整改' };
const labelOf = (key: string) => LABELS[key] ?? key;

describe('the change list the page shows (docs/DOMAIN.md#corrections)', () => {
  it('says a first upload is 首次报送, with the values it stated', () => {
    // Act
    const said = changeSummary(
      {
        version: 1,
        changes: [
          { key: 'general_hazards_found', from: null, to: 8 },
          { key: 'leaflets_distributed', from: null, to: 1200 },
        ],
        unchanged: 0,
      },
      labelOf,
    );

    // Assess: labels from the catalogue, an unknown key as itself, thousands separated
    expect(said).toBe('首次报送：排查一般隐患 8，leaflets_distributed 1,200');
  });

  it('says a correction as from → to, and how many values stayed', () => {
    // Act
    const one = changeSummary({ version: 2, changes: [{ key: 'general_hazards_found', from: 8, to: 10 }], unchanged: 41 }, labelOf);
    const two = changeSummary(
      {
        version: 3,
        changes: [
          { key: 'general_hazards_found', from: 10, to: null },
          { key: 'hazards_rectified', from: null, to: 2 },
        ],
        unchanged: 0,
      },
      labelOf,
    );
    const none = changeSummary({ version: 4, changes: [], unchanged: 42 }, labelOf);

    // Assess: null is 未报 on either side
    expect(one).toBe('更正：排查一般隐患 8 → 10；其余 41 项不变');
    expect(two).toBe('更正：排查一般隐患 10 → 未报，隐患完成整改 未报 → 2');
    expect(none).toBe('更正：数值没有变化（其余 42 项不变）');
    expect(valueText(null)).toBe('未报');
  });
});

describe('the review state the page shows (docs/DOMAIN.md#review)', () => {
  const state = (over: Partial<ReviewState>): ReviewState => ({ state: 'submitted', version: 2, reopened: false, locked: false, ...over });

  it('says each state: 未报, 已报 with when and which version, 已审核, 已退回 with why', () => {
    // Assess
    expect(stateText(state({ state: 'missing', version: 0 }))).toBe('未报');
    expect(stateText(state({}), '2025-04-03T01:00:00.000Z')).toBe('已报（2025年4月3日 09:00，第 2 版）');
    expect(stateText(state({ state: 'approved', locked: true }))).toBe('已审核（第 2 版）');
    expect(stateText(state({ state: 'returned', reason: '排查数与上月明显不符' }))).toBe('已退回（原因：排查数与上月明显不符）');
  });

  it('says why a month is locked, and that a reopened one can be corrected', () => {
    // Assess
    expect(lockText(state({ state: 'approved', locked: true }))).toBe('已锁定（已审核）');
    expect(lockText(state({ locked: true }))).toBe('已锁定（已过锁定日）');
    expect(lockText(state({ reopened: true }))).toBe('可更正（镇已重新打开）');
    expect(lockText(state({}))).toBe('可报送、可更正');
  });

  it('offers the town approve and return on what was sent, approve on what it returned, reopen on what is locked, and the district nothing', () => {
    // Assess
    expect(actionsFor(state({}), 'town')).toEqual(['approve', 'return']);
    expect(actionsFor(state({ state: 'approved', locked: true }), 'town')).toEqual(['reopen']);
    expect(actionsFor(state({ state: 'missing', version: 0, locked: true }), 'admin')).toEqual(['reopen']);
    expect(actionsFor(state({ state: 'returned', reason: '缺项' }), 'town')).toEqual(['approve']);
    expect(actionsFor(state({}), 'district')).toEqual([]);
    expect(actionsFor(state({}), 'village')).toEqual([]);
  });

  it('says the audit trail’s events: versions with their change list, review actions with their reason', () => {
    // Prepare
    const at = '2025-04-03T01:00:00.000Z';
    const by = '镇 EC';

    // Assess
    expect(
      eventText(
        { kind: 'version', at, by, version: 2, changes: [{ key: 'general_hazards_found', from: 8, to: 10 }], unchanged: 41 },
        labelOf,
      ),
    ).toBe('第 2 版，更正：排查一般隐患 8 → 10；其余 41 项不变');
    expect(eventText({ kind: 'version', at, by, version: 3, changes: [], unchanged: 3, overrideLock: true }, labelOf)).toBe(
      '第 3 版，更正：数值没有变化（其余 3 项不变）（管理员在锁定期间写入）',
    );
    expect(eventText({ kind: 'approve', at, by, version: 2 }, labelOf)).toBe('审核通过（第 2 版）');
    expect(eventText({ kind: 'return', at, by, version: 2, reason: '缺项' }, labelOf)).toBe('退回（第 2 版），原因：缺项');
    expect(eventText({ kind: 'reopen', at, by, version: 2, reason: '补报' }, labelOf)).toBe('重新打开，原因：补报');
    expect(eventText({ kind: 'lock', at, by, version: 2 }, labelOf)).toBe('到锁定日，该月已锁定');
  });

  it('names who did it with the role’s Chinese name, and the system as 系统', () => {
    // Assess
    expect(whoText('village:HX/V03')).toBe('村（社区）HX/V03');
    expect(whoText('town:HX')).toBe('镇 HX');
    expect(whoText('admin')).toBe('管理员');
    expect(whoText('system')).toBe('系统');
    expect(whoText('村（社区）EC/V03')).toBe('村（社区）EC/V03');
  });
});
