/** The chart route's parameters: which chart, of what, how wide. */
import * as z from 'zod';
import { VALUE_KEYS, valueKey } from '../catalogue.ts';
import { MonthParam, YearParam } from './schemas.ts';

export const ChartParam = z.enum(['trend', 'heatmap', 'units', 'towns']).meta({
  description:
    'trend：某指标逐月趋势（含上年同期）；heatmap：报送情况（单位 × 月份，区级为各镇报送比例）；units：某月本镇各单位；towns：某月各镇（只限区级）',
});

export const ChartQuery = z
  .object({
    year: YearParam.optional().meta({ description: 'trend、heatmap 的年份（默认今年）' }),
    month: MonthParam.optional().meta({ description: 'units、towns 的月份（默认上个月）' }),
    metric: z
      .string()
      .refine((k) => valueKey(k) !== undefined)
      .default(VALUE_KEYS.find((k) => k.key === 'general_hazards_found')?.key ?? VALUE_KEYS[0]!.key)
      .meta({ description: '指标代码（见 /v1/catalogue），默认 general_hazards_found（排查一般隐患）' }),
    view: z.enum(['desktop', 'compact']).default('desktop').meta({ description: 'desktop：宽 720（默认）；compact：宽 360，适合手机' }),
  })
  .strict();
