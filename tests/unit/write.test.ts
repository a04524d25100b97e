import { describe, expect, it } from 'vitest';
import { VALUE_KEYS } from '../../shared/catalogue.ts';
import { template, writeSubmissions } from '../../shared/write.ts';
import { check, registry } from '../support/core.ts';

describe('template', () => {
  it('starts with a UTF-8 BOM and uses CRLF, so Excel on Windows opens it in Chinese', () => {
    // Act
    const csv = template({ format: 'long', registry, unit: 'EC/V03', period: '2025-03' });

    // Assess
    expect(csv.startsWith('\ufeff单位代码,月份,指标代码,指标名称,数值,备注\r\n')).toBe(true);
    expect(csv.split('\r\n')[1]).toBe('V03,2025-03,legal_literates,法律明白人人数(人),,');
    expect(csv.trimEnd().split('\r\n')).toHaveLength(1 + VALUE_KEYS.length);
  });

  it('lists every unit in a wide template when no unit is given', () => {
    const lines = template({ format: 'wide', registry, period: '2025-03' }).trimEnd().split('\r\n');
    expect(lines).toHaveLength(1 + registry.units.length);
    expect(lines[0]).toContain('排查化解矛盾纠纷(劳动关系)(件)');
    expect(lines[9]!.startsWith('TOWN,鹅池镇本级,2025-03,')).toBe(true);
  });

  it.each(['long', 'wide'] as const)('gives a %s template that, once filled in, is accepted', (format) => {
    // Prepare: fill every blank value with 1 (the categories then add up to 5).
    const filled = template({ format, registry, unit: 'EC/V03', period: '2025-03' })
      .split('\r\n')
      .map((line, i) =>
        i === 0 || line === ''
          ? line
          : format === 'long'
            ? line.replace(/^([^,]*,[^,]*,[^,]*,[^,]*),/, '$1,1')
            : line.replace(/,(?=,|$)/g, ',1'),
      )
      .join('\r\n')
      .replace(/disputes_resolved,排查化解矛盾纠纷\(件\),1/, 'disputes_resolved,排查化解矛盾纠纷(件),5');

    // Act
    const result = check(filled.replace(/^(V03,石柱村,2025-03(?:,1){29}),1/m, '$1,5'));

    // Assess
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.submissions).toHaveLength(1);
    expect(Object.keys(result.submissions[0]!.values)).toHaveLength(VALUE_KEYS.length);
  });
});

describe('writeSubmissions', () => {
  const submissions = [{ unit: 'EC/V01', period: '2025-02', values: { general_hazards_found: 1000, veteran_aid_yuan: 2100.5 } }];

  it.each([
    ['long', 'code'],
    ['long', 'label'],
    ['wide', 'code'],
    ['wide', 'label'],
    ['json', 'code'],
  ] as const)('writes %s with %s headers that read back equal', (format, headers) => {
    const text = writeSubmissions(submissions, { format, headers, newline: '\r\n' });
    expect(check(text).submissions).toEqual(submissions);
  });
});
