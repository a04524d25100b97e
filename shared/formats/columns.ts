/**
 * What a header cell means: one of the fixed columns (unit, period, metric, label, value),
 * a column people add that we ignore (单位名称, 序号, 备注 …), or else a metric (wide CSV).
 */
import { normaliseName } from '../catalogue.ts';

export type ColumnRole = 'unit' | 'period' | 'metric' | 'label' | 'value' | 'ignored';

const ALIASES: Record<ColumnRole, readonly string[]> = {
  unit: ['单位代码', '单位编码', '单位', 'unit', 'unit_code', 'unitcode', '村(社区)代码'],
  period: ['月份', '统计月份', '报送月份', '年月', '期间', '所属月份', 'period', 'month'],
  metric: ['指标代码', '指标编码', 'metric', 'metric_code', 'code'],
  label: ['指标名称', '指标', 'label', 'metric_name', 'name'],
  value: ['数值', '数量', '本月数', '本月数值', 'value'],
  ignored: [
    '备注',
    'note',
    'notes',
    '说明',
    '单位名称',
    'unit_name',
    '村(社区)名称',
    '计量单位',
    '单位(计量)',
    '序号',
    'no',
    '#',
    '填报人',
    'submittedby',
    'submitted_by',
    '联系电话',
    '填报日期',
  ],
};

const ROLE_BY_NAME = new Map<string, ColumnRole>();
for (const [role, names] of Object.entries(ALIASES) as [ColumnRole, readonly string[]][]) {
  for (const name of names) ROLE_BY_NAME.set(normaliseName(name), role);
}

export function columnRole(header: string): ColumnRole | undefined {
  return ROLE_BY_NAME.get(normaliseName(header));
}

/** The names a secretary should see when a column is missing. */
export const COLUMN_TITLES: Record<'unit' | 'period' | 'metric' | 'value', string> = {
  unit: '单位代码',
  period: '月份',
  metric: '指标代码或指标名称',
  value: '数值',
};
