import { describe, expect, it } from 'vitest';
import { METRICS, resolveMetric, VALUE_KEYS } from '../../shared/catalogue.ts';

describe('the metric catalogue', () => {
  it('holds the 37 metrics of docs/DOMAIN.md and the 5 dispute categories: 42 value keys', () => {
    expect(METRICS).toHaveLength(37);
    expect(VALUE_KEYS).toHaveLength(42);
    expect(VALUE_KEYS.map((k) => k.index)).toEqual(VALUE_KEYS.map((_, i) => i));
    expect(METRICS.filter((m) => m.kind === 'stock').map((m) => m.code)).toEqual(['legal_literates']);
    expect(METRICS.filter((m) => m.valueType === 'money').map((m) => m.code)).toEqual(['veteran_aid_yuan']);
  });

  it('has unique codes and labels', () => {
    expect(new Set(VALUE_KEYS.map((k) => k.key)).size).toBe(VALUE_KEYS.length);
    expect(new Set(VALUE_KEYS.map((k) => k.label)).size).toBe(VALUE_KEYS.length);
  });
});

describe('resolveMetric', () => {
  it.each([
    ['general_hazards_found', 'general_hazards_found'],
    ['GENERAL_HAZARDS_FOUND', 'general_hazards_found'],
    ['排查一般隐患', 'general_hazards_found'],
    ['排查一般隐患(处)', 'general_hazards_found'],
    ['排查一般隐患（处）', 'general_hazards_found'],
    ['排查一般隐患(个)', 'general_hazards_found'],
    [' 排查 一般隐患 ', 'general_hazards_found'],
    ['disputes_resolved.labor', 'disputes_resolved.labor'],
    ['排查化解矛盾纠纷(劳动关系)', 'disputes_resolved.labor'],
    ['排查化解矛盾纠纷（劳动关系）（件）', 'disputes_resolved.labor'],
    ['disputes_resolved.劳动关系', 'disputes_resolved.labor'],
    ['发放优抚对象"解三难"补助资金', 'veteran_aid_yuan'],
    ['发放优抚对象解三难补助资金(元)', 'veteran_aid_yuan'],
    ['查处超载,酒驾等违法行为', 'traffic_violations'],
  ])('resolves %j to %s', (text, key) => {
    expect(resolveMetric(text)).toMatchObject({ ok: true, target: { key } });
  });

  it('tells an unknown category of a known metric from an unknown metric', () => {
    expect(resolveMetric('disputes_resolved.robbery')).toMatchObject({ ok: false, code: 'UNKNOWN_CATEGORY', category: 'robbery' });
    expect(resolveMetric('排查化解矛盾纠纷(邻里)')).toMatchObject({ ok: false, code: 'UNKNOWN_CATEGORY', category: '邻里' });
    expect(resolveMetric('general_hazards_found.big')).toMatchObject({ ok: false, code: 'UNKNOWN_CATEGORY' });
    expect(resolveMetric('hazards_fixed')).toEqual({ ok: false, code: 'UNKNOWN_METRIC' });
  });
});
