/**
 * A bad path parameter is answered as a bad query or body field is: 400
 * PARAMETER_INVALID with a Chinese message naming the parameter (not a bare 请求不正确).
 */
import { describe, expect, it } from 'vitest';
import type { RouteName } from '../../shared/api/routes.ts';
import type { Principal } from '../../shared/auth/principals.ts';
import { memoryApi } from '../support/memory-api.ts';

const DISTRICT: Principal = { role: 'district' };

describe('a bad path parameter', () => {
  it.each([
    ['desk', { org: 'EC', month: '2025-3' }, '月份应写成 YYYY-MM，如 2025-03'],
    ['orgAnnualSummary', { org: 'EC', year: '25' }, '年份应写成四位数字，如 2025'],
    ['desk', { org: 'ec', month: '2025-03' }, '镇或区代码不正确'],
    ['chart', { org: 'EC', chart: 'pie' }, '图表只能是'],
  ] as [RouteName, Record<string, string>, string][])('%s %j names it: %s', async (route, pathParameters, said) => {
    // Act
    const answer = await memoryApi().call(route, DISTRICT, { pathParameters });

    // Assess
    expect(answer.status).toBe(400);
    const body = JSON.parse(answer.body) as { code: string; message: string };
    expect(body.code).toBe('PARAMETER_INVALID');
    expect(body.message).toContain(said);
  });
});
