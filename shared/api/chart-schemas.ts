/** The chart route's parameters: which chart, of what, how wide. */
import * as z from 'zod/mini';
import { meta } from './meta.ts';
import { VALUE_KEYS, valueKey } from '../catalogue.ts';
import { MonthParam, YearParam } from './schemas.ts';

export const ChartParam = meta(z.enum(['trend', 'heatmap', 'units', 'towns']), {
  description:
    'trend：某指标逐月趋势（含上年同期）；heatmap：报送情况（单位 × 月份，区级为各镇报送比例）；units：某月本镇各单位；towns：某月各镇（只限区级）',
});

export const ChartQuery = z.strictObject({
  year: meta(z.optional(YearParam), { description: 'trend、heatmap 的年份（默认今年）' }),
  month: meta(z.optional(MonthParam), { description: 'units、towns 的月份（默认上个月）' }),
  metric: meta(
    z._default(
      z.string().check(z.refine((k) => valueKey(k) !== undefined)),
      VALUE_KEYS.find((k) => k.key === 'general_hazards_found')?.key ?? VALUE_KEYS[0]!.key,
    ),
    { description: '指标代码（见 /v1/catalogue），默认 general_hazards_found（排查一般隐患）' },
  ),
  view: meta(z._default(z.enum(['desktop', 'compact']), 'desktop'), { description: 'desktop：宽 720（默认）；compact：宽 360，适合手机' }),
});
