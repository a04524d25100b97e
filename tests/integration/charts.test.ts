/**
 * The chart route on the run's stack: files through the pipeline, then the SVGs a town
 * clerk and a district officer fetch — their text alternative giving every figure, a month
 * nobody sent as 未报 (not 0), an ETag of the data (304 without rendering), a correction
 * changing it, and the refusals (a town's towns chart, an unknown metric, another town,
 * a village token).
 *
 * Units and months of this file: HX/V01, HX/V02, SH/V01 in 2001 and 2002 (another file fills all of EC's 2002,
 * so 鹅池镇 is not asserted here).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, tokenFor } from '../support/api.ts';
import { csvFile, uploadThroughStack } from '../support/publish-harness.ts';
import { connectStack, type StackHandle } from '../support/stack.ts';

let stack: StackHandle;
let districtToken: string;
let townToken: string;

const descOf = (svg: string) => /<desc[^>]*>([^<]*)<\/desc>/.exec(svg)?.[1] ?? '';
const svgOf = (path: string, token = districtToken, headers: Record<string, string> = {}) => call(path, { token, headers });

beforeAll(async () => {
  // Prepare: January (two units) and March (one) of 2002 in HX, March in SH, January 2001 in HX.
  stack = connectStack();
  districtToken = await tokenFor(stack, { role: 'district' });
  townToken = await tokenFor(stack, { role: 'town', town: 'HX' });
  const sent = await uploadThroughStack(stack, [
    csvFile('HX/V01', '2002-01', { general_hazards_found: 3 }),
    csvFile('HX/V02', '2002-01', { general_hazards_found: 5 }),
    csvFile('HX/V01', '2002-03', { general_hazards_found: 7 }),
    csvFile('SH/V01', '2002-03', { general_hazards_found: 4 }),
    csvFile('HX/V01', '2001-01', { general_hazards_found: 2 }),
  ]);
  expect([...sent.statuses.values()].every((s) => s === 'accepted')).toBe(true);
}, 120_000);

afterAll(() => stack?.close());

describe('GET /v1/orgs/{org}/charts/{chart}', () => {
  it("draws a town's trend as an SVG whose text alternative gives each month, a month nobody sent as 未报", async () => {
    // Act
    const answer = await svgOf('/v1/orgs/HX/charts/trend?year=2002', townToken);
    // Assess
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(answer.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(answer.headers.get('cache-control')).toBe('private, max-age=300, stale-while-revalidate=86400');
    expect(answer.text).toMatch(/^<svg role="img" /);
    expect(answer.text).toContain('>黑溪镇2002年排查一般隐患（处）逐月趋势</title>');
    const desc = descOf(answer.text);
    expect(desc).toContain('1月 8（2 个单位报送），2月 未报，3月 7（1 个单位报送），4月 未报');
    expect(desc).toContain('上年同期：1月 2，2月 未报');
    expect(answer.text).not.toContain('<script');
  });

  it("draws the district's towns for a month, each with how many units reported, and a town's units", async () => {
    const towns = await svgOf('/v1/orgs/QJ/charts/towns?month=2002-03');
    const units = await svgOf('/v1/orgs/HX/charts/units?month=2002-03&view=compact', townToken);
    expect(towns.status).toBe(200);
    expect(descOf(towns.text)).toContain('石会镇 4（1/8 个单位报送），黑溪镇 7（1/9 个单位报送）');
    expect(units.status).toBe(200);
    expect(units.text).toContain('width="360"');
    expect(descOf(units.text)).toContain('黑溪社区 7，胜地村 未报');
  });

  it('draws who sent each month as a heatmap: late, since the files came in 2025', async () => {
    const answer = await svgOf('/v1/orgs/HX/charts/heatmap?year=2002');
    expect(answer.status).toBe(200);
    expect(descOf(answer.text)).toContain('黑溪社区：1月迟报、2月未报、3月迟报');
    expect(descOf(answer.text)).toContain('胜地村：1月迟报、2月未报、3月未报');
  });

  it('answers 304 to the same data, and a new ETag once a correction changes it', async () => {
    // Prepare
    const path = '/v1/orgs/HX/charts/units?month=2002-01';
    const first = await svgOf(path);
    const etag = first.headers.get('etag')!;
    // Act
    const again = await svgOf(path, districtToken, { 'if-none-match': etag });
    await uploadThroughStack(stack, [csvFile('HX/V02', '2002-01', { general_hazards_found: 6 })]);
    const corrected = await svgOf(path, districtToken, { 'if-none-match': etag });
    // Assess
    expect(etag).toMatch(/^"svg-[\w-]{27}"$/);
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(corrected.status).toBe(200);
    expect(corrected.headers.get('etag')).not.toBe(etag);
    expect(descOf(corrected.text)).toContain('胜地村 6');
  });

  it('refuses a towns chart of a town, an unknown metric or chart, another town and a village token, in Chinese', async () => {
    const village = await tokenFor(stack, { role: 'village', unit: 'HX/V01' });
    const cases = await Promise.all([
      svgOf('/v1/orgs/HX/charts/towns', townToken),
      svgOf('/v1/orgs/HX/charts/trend?metric=nonsense', townToken),
      svgOf('/v1/orgs/HX/charts/pie', townToken),
      svgOf('/v1/orgs/SH/charts/trend', townToken),
      svgOf('/v1/orgs/HX/charts/trend', village),
      svgOf('/v1/orgs/HX/charts/units?month=2099-01', townToken),
    ]);
    expect(cases.map((c) => [c.status, (c.json as { code: string }).code])).toEqual([
      [400, 'PARAMETER_INVALID'],
      [400, 'PARAMETER_INVALID'],
      [400, 'PARAMETER_INVALID'],
      [403, 'TOWN_FORBIDDEN'],
      [403, 'ROLE_FORBIDDEN'],
      [400, 'PERIOD_IN_FUTURE'],
    ]);
    expect((cases[0]!.json as { message: string }).message).toContain('各镇对比图（towns）只有全区才有');
    expect((cases[1]!.json as { message: string }).message).toContain('指标代码');
  });
});
