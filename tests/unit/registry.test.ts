/**
 * The registry (shared/registry.ts): both formats read into district → towns → units, what
 * each level covers and expects in a month, and a bad registry's errors, each naming the
 * file's line, the field's path and what is allowed (docs/DOMAIN.md#registry-format).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DISTRICT_CODE, fullCodeOf, Registry, RegistryError, shortCodeOf, townOf } from '../../shared/registry.ts';
import { district, registry } from '../support/core.ts';

const unit = (code: string, extra: Record<string, unknown> = {}) => ({ code, name: `${code}村`, type: 'village', ...extra });
const town = (code: string, units: unknown[] = [unit('V01')], extra: Record<string, unknown> = {}) => ({
  code,
  name: `${code}镇`,
  units,
  ...extra,
});
const doc = (towns: unknown[], extra: Record<string, unknown> = {}) => ({ district: { code: 'QJ', name: '黔江区' }, towns, ...extra });

/** The error a registry document raises (read as a file, so that lines are known). */
function errorOf(text: string, source = 'config/bad.json'): RegistryError {
  try {
    Registry.fromJson(text, source);
  } catch (error) {
    if (error instanceof RegistryError) return error;
    throw error;
  }
  throw new Error('the registry was accepted');
}

describe('Registry: the district format', () => {
  it('reads config/district.json as three towns of nine units, each unit with its full code and town', () => {
    // Assess
    expect(district.district).toEqual({ code: 'QJ', name: '黔江区', recipients: [] });
    expect(district.towns.map((t) => t.code)).toEqual(['EC', 'SH', 'HX']);
    expect(district.towns.map((t) => t.units.length)).toEqual([9, 9, 9]);
    expect(district.units).toHaveLength(27);
    expect(district.get('SH/V05')).toMatchObject({
      code: 'V05',
      name: '新建村',
      town: 'SH',
      fullCode: 'SH/V05',
      divisionCode: '500114111005',
    });
    expect(district.codes('HX')).toEqual(['V01', 'V02', 'V03', 'V04', 'V05', 'V06', 'V07', 'V08', 'TOWN'].map((c) => `HX/${c}`));
    expect(district.singleTown).toBeUndefined();
    expect(district.defaultOrg).toEqual({ level: 'district', code: 'QJ', name: '黔江区' });
  });

  it('publishes for every town and the district (orgs), and finds each by its code', () => {
    // Assess
    expect(district.orgs.map((o) => [o.level, o.code])).toEqual([
      ['town', 'EC'],
      ['town', 'SH'],
      ['town', 'HX'],
      ['district', 'QJ'],
    ]);
    expect(district.org('SH')).toMatchObject({ level: 'town', code: 'SH', name: '石会镇' });
    expect(district.org('QJ')).toEqual({ level: 'district', code: 'QJ', name: '黔江区' });
    expect(district.org('XX')).toBeUndefined();
    expect(district.unitsOf('QJ')).toHaveLength(27);
    expect(district.unitsOf('EC').map((u) => u.town)).toEqual(Array(9).fill('EC'));
  });

  it.each([
    ['2025-06', 'SH', 8, 'SH/V08'],
    ['2025-07', 'SH', 9, undefined],
    ['2025-06', 'HX', 9, undefined],
    ['2025-07', 'HX', 8, 'HX/V07'],
  ])('expects in %s %s units of %s (from/until, both included; %s not)', (month, code, count, absent) => {
    // Act
    const expected = district.expected(code, month).map((u) => u.fullCode);

    // Assess
    expect(expected).toHaveLength(count);
    if (absent) expect(expected).not.toContain(absent);
  });

  it('expects of the district the sum of its towns in a month', () => {
    expect(district.expected('QJ', '2025-03')).toHaveLength(26); // SH/V08 only from 2025-07
    expect(district.expected(district.defaultOrg, '2025-08')).toHaveLength(26); // HX/V07 until 2025-06
  });
});

describe('full codes', () => {
  it('join a town and a unit code, and split back into them', () => {
    expect(fullCodeOf('EC', 'V01')).toBe('EC/V01');
    expect(townOf('SH/TOWN')).toBe('SH');
    expect(shortCodeOf('SH/TOWN')).toBe('TOWN');
    expect(district.units.every((u) => u.fullCode === fullCodeOf(townOf(u.fullCode), shortCodeOf(u.fullCode)))).toBe(true);
  });
});

describe('Registry: the single-town format of round 1', () => {
  it('reads config/units.json as a district of one town, whose default org and only published org is the town', () => {
    // Assess
    expect(registry.district.code).toBe(DEFAULT_DISTRICT_CODE);
    expect(registry.district.name).toBe('黔江区');
    expect(registry.singleTown?.code).toBe('EC');
    expect(registry.defaultOrg).toMatchObject({ level: 'town', code: 'EC', name: '鹅池镇' });
    expect(registry.orgs.map((o) => o.code)).toEqual(['EC']);
    expect(registry.codes()).toContain('EC/V03');
    expect(registry.unitsOf(DEFAULT_DISTRICT_CODE)).toHaveLength(9);
  });

  it('takes the district code from town.districtCode when it gives one', () => {
    // Act
    const one = Registry.parse({ town: { code: 'EC', name: '鹅池镇', district: '黔江区', districtCode: 'QJ' }, units: [unit('V01')] });

    // Assess
    expect(one.district).toMatchObject({ code: 'QJ', name: '黔江区' });
    expect(one.get('EC/V01')?.town).toBe('EC');
  });

  it('reads the same units from both files: the seed town of the district is the single town', () => {
    const names = (r: Registry, t: string) => r.unitsOf(t).map((u) => [u.fullCode, u.name, u.type]);
    expect(names(district, 'EC')).toEqual(names(registry, 'EC'));
  });
});

describe('Registry: a bad registry', () => {
  it('says a file that is not JSON is not valid JSON, with the source and the line', () => {
    // Act
    const error = errorOf('{\n  "district": {"code": "QJ", "name": "黔江区"}\n  "towns": []\n}', 'config/mine.json');

    // Assess
    expect(error.code).toBe('REGISTRY_INVALID');
    expect(error.message).toMatch(/^unit registry is not valid:\n {2}config\/mine\.json:3: \(document\): not valid JSON/);
  });

  it('names the line, the path and the allowed values of a wrong unit type', () => {
    // Prepare
    const text = JSON.stringify(doc([town('EC', [unit('V01'), unit('V02', { type: 'hamlet' })])]), null, 2);
    const line = text.split('\n').findIndex((l) => l.includes('"hamlet"')) + 1;

    // Act
    const error = errorOf(text);

    // Assess
    expect(error.problems).toEqual([
      { path: 'towns[0].units[1].type', message: 'one of "village", "community", "town_office" (got "hamlet")', line },
    ]);
    expect(error.message).toContain(`config/bad.json:${line}: towns[0].units[1].type: one of "village", "community", "town_office"`);
  });

  it('says a missing field is required, at the line of its object', () => {
    // Prepare
    const text = JSON.stringify(doc([town('EC', [{ code: 'V01', type: 'village' }])]), null, 2);
    const line = text.split('\n').findIndex((l) => l.includes('"V01"')) + 1 - 1; // the object's "{" line

    // Act
    const error = errorOf(text);

    // Assess
    expect(error.problems).toEqual([{ path: 'towns[0].units[0].name', message: 'required (expected string)', line }]);
  });

  it('says what is allowed for a bad code, month, division code, day and time zone, each with what was found', () => {
    // Prepare
    const text = JSON.stringify(
      doc([town('ec', [unit('V01', { from: '2025-13', divisionCode: '5001' })])], { deadlineDay: 40, timeZone: 'UTC' }),
      null,
      2,
    );

    // Act
    const messages = Object.fromEntries(errorOf(text).problems.map((p) => [p.path, p.message]));

    // Assess
    expect(messages).toEqual({
      timeZone: 'must be "Asia/Shanghai" (got "UTC")',
      deadlineDay: 'at most 28 (got 40)',
      'towns[0].code': 'town code: upper-case letters and digits, 2 to 16 (got "ec")',
      'towns[0].units[0].divisionCode': 'divisionCode: 12 digits (got "5001")',
      'towns[0].units[0].from': 'a month YYYY-MM (got "2025-13")',
    });
  });

  it('says a document that is an array is not the object expected', () => {
    expect(errorOf('[1]').problems).toEqual([{ path: '(document)', message: 'expected object, got an array', line: 1 }]);
  });

  it('says a district without towns, and a town without units, needs at least one', () => {
    expect(errorOf(JSON.stringify(doc([]))).problems[0]).toMatchObject({ path: 'towns', message: 'at least 1 item (got none)' });
    expect(errorOf(JSON.stringify(doc([town('EC', [])]))).problems[0]).toMatchObject({ path: 'towns[0].units' });
  });

  it('finds duplicate town codes, unit codes within a town, and division codes, each at its line', () => {
    // Prepare: EC twice; V01 twice in SH; a division code of EC repeated in SH.
    const text = JSON.stringify(
      doc([
        town('EC', [unit('V01', { divisionCode: '500114110001' })]),
        town('SH', [unit('V01'), unit('V02'), unit('V01', { name: '另一村' }), unit('V03', { divisionCode: '500114110001' })]),
        town('EC'),
      ]),
      null,
      2,
    );
    const lineOf = (needle: string, nth = 1) => {
      const lines = text.split('\n');
      let seen = 0;
      return lines.findIndex((l) => l.includes(needle) && ++seen === nth) + 1;
    };

    // Act
    const problems = errorOf(text).problems;

    // Assess
    expect(problems).toEqual([
      {
        path: 'towns[1].units[2].code',
        message: 'duplicate unit code V01 in town SH (also towns[1].units[0].code)',
        line: lineOf('"V01"', 3),
      },
      {
        path: 'towns[1].units[3].divisionCode',
        message: 'duplicate division code 500114110001 (also towns[0].units[0].divisionCode)',
        line: lineOf('500114110001', 2),
      },
      { path: 'towns[2].code', message: 'duplicate town code EC (also towns[0].code)', line: lineOf('"EC"', 2) },
    ]);
  });

  it('finds two units of one town with the same name (files may name a unit), but allows it in two towns', () => {
    // Act
    const twice = errorOf(JSON.stringify(doc([town('EC', [unit('V01', { name: '新建村' }), unit('V02', { name: '新建村' })])])));
    const apart = Registry.parse(doc([town('EC', [unit('V01', { name: '新建村' })]), town('SH', [unit('V01', { name: '新建村' })])]));

    // Assess
    expect(twice.problems).toEqual([
      { path: 'towns[0].units[1].name', message: 'duplicate unit name 新建村 in town EC (also towns[0].units[0].name)', line: 1 },
    ]);
    expect(apart.resolve('新建村', 'SH').unit?.fullCode).toBe('SH/V01');
  });

  it('allows the same unit code in two towns (unit codes are unique within a town only)', () => {
    const two = Registry.parse(doc([town('EC'), town('SH')]));
    expect(two.codes()).toEqual(['EC/V01', 'SH/V01']);
  });

  it('refuses a town whose code is the district code', () => {
    expect(errorOf(JSON.stringify(doc([town('QJ')]))).problems).toEqual([
      { path: 'towns[0].code', message: "town code QJ is the district's code: a town's code must differ from it", line: 1 },
    ]);
  });

  it('refuses a unit whose until is before its from, and accepts one month (from = until)', () => {
    // Act
    const bad = errorOf(JSON.stringify(doc([town('EC', [unit('V01', { from: '2025-07', until: '2025-06' })])])));
    const one = Registry.parse(doc([town('EC', [unit('V01', { from: '2025-07', until: '2025-07' })])]));

    // Assess
    expect(bad.problems).toEqual([{ path: 'towns[0].units[0].until', message: 'until 2025-06 is before from 2025-07', line: 1 }]);
    expect(one.expected('EC', '2025-07')).toHaveLength(1);
    expect(one.expected('EC', '2025-08')).toHaveLength(0);
  });

  it('refuses config files edited badly in the single-town format too, naming the field', () => {
    const error = errorOf('{"town":{"code":"EC","name":"鹅池镇"},"units":[{"code":"V01","name":"a","type":"village"}]}');
    expect(error.problems).toEqual([{ path: 'town.district', message: 'required (expected string)', line: 1 }]);
  });

  it('ships config files that are both valid', () => {
    for (const name of ['units.json', 'district.json']) {
      const text = readFileSync(new URL(`../../config/${name}`, import.meta.url), 'utf8');
      expect(() => Registry.fromJson(text, `config/${name}`)).not.toThrow();
    }
  });
});
