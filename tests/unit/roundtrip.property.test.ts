/**
 * Property tests of the file check as a whole: what the core writes it reads back equal
 * (cleared keys included), in every format, encoding and number style a secretary's Excel
 * produces; and no byte mutation of a valid file makes it crash, only accept or reject
 * with a coded finding.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { valueKey } from '../../shared/catalogue.ts';
import type { FileCheck, Submission } from '../../shared/check.ts';
import { ERROR_CODES, WARNING_CODES, type Finding } from '../../shared/findings.ts';
import {
  applyMutations,
  byUnitAndPeriod,
  districtUnitArb,
  expectedIn,
  fileStyleArb,
  LAST_MONTH,
  mutationArb,
  submissionCaseArb,
  unitArb,
  validFileArb,
  writeFile,
  type FileStyle,
  type Mutation,
} from '../support/arbitraries.ts';
import { shortCodeOf, townOf } from '../../shared/registry.ts';
import { check, district, NOW, registry } from '../support/core.ts';

const LAST_PERIOD = `${LAST_MONTH.year}-${String(LAST_MONTH.month).padStart(2, '0')}`;
const CHINESE = /[\u4e00-\u9fff]/;

/** The encoding the core should report: an all-ASCII GB18030 file is also plain UTF-8. */
function expectedEncoding(style: FileStyle, bytes: Uint8Array): string {
  if (style.encoding !== 'gb18030') return style.encoding;
  return bytes.every((b) => b < 0x80) ? 'utf-8' : 'gb18030';
}

/** Months whose deadline (day 5 of the next month) is before NOW: all but March 2025. */
function lateIds(submissions: readonly Submission[]): string[] {
  return submissions
    .filter((s) => s.period !== LAST_PERIOD)
    .map((s) => `${s.unit}|${s.period}`)
    .sort();
}

/** What every check result must look like, whatever the bytes were. */
function assessSound(result: FileCheck): void {
  expect(['accepted', 'rejected']).toContain(result.status);
  const findings: Finding[] = [...result.errors, ...result.warnings];
  for (const f of findings) {
    expect(typeof f.message).toBe('string');
    expect(f.message).toMatch(CHINESE);
    expect(f.row === null || (Number.isInteger(f.row) && f.row > 0), `row ${String(f.row)} of ${f.code}`).toBe(true);
  }
  for (const e of result.errors) expect(ERROR_CODES).toContain(e.code);
  for (const w of result.warnings) expect(WARNING_CODES).toContain(w.code);
  if (result.status === 'rejected') {
    expect(result.errors.length).toBeGreaterThan(0);
    expect(result.submissions).toEqual([]);
    return;
  }
  expect(result.errors).toEqual([]);
  expect(result.submissions.length).toBeGreaterThan(0);
  // Accepted data is valid data, however the bytes were damaged.
  for (const s of result.submissions) {
    expect(registry.codes()).toContain(s.unit);
    expect(s.period).toMatch(/^20\d\d-(0[1-9]|1[0-2])$/);
    expect(s.period <= LAST_PERIOD).toBe(true);
    // A submission states something: a value, or a clear (a damaged cell may leave only clears).
    expect(Object.keys(s.values).length + (s.cleared?.length ?? 0)).toBeGreaterThan(0);
    for (const key of s.cleared ?? []) {
      expect(valueKey(key), key).toBeDefined();
      expect(s.values[key], `${key} both set and cleared`).toBeUndefined();
    }
    for (const key of s.implied ?? []) expect(s.values[key], `implied ${key}`).toBeDefined();
    for (const [key, v] of Object.entries(s.values)) {
      const k = valueKey(key);
      expect(k, key).toBeDefined();
      expect(Number.isFinite(v) && v >= 0, `${key} = ${v}`).toBe(true);
      if (k!.metric.valueType === 'count') expect(Number.isInteger(v), `${key} = ${v}`).toBe(true);
      else expect(Number(v.toFixed(2)), `${key} = ${v}`).toBe(v);
    }
  }
}

describe('writeSubmissions → checkFile: a written file reads back equal', () => {
  it('reads a long GB18030 CSV with labels, CRLF and full-width digits back as written, filling the dispute total', () => {
    // Prepare
    const written: Submission[] = [
      {
        unit: 'EC/V03',
        period: '2025-03',
        values: { general_hazards_found: 12, 'disputes_resolved.labor': 2, 'disputes_resolved.family': 1, veteran_aid_yuan: 1234567.5 },
      },
    ];
    const style: FileStyle = { format: 'long', headers: 'label', newline: '\r\n', encoding: 'gb18030', number: 'full-width' };
    const bytes = writeFile(written, style);

    // Act
    const result = check(bytes);

    // Assess
    expect(result.errors).toEqual([]);
    expect(result.status).toBe('accepted');
    expect(result.format).toBe('long');
    expect(result.encoding).toBe('gb18030');
    expect(result.warnings).toEqual([]);
    expect(result.submissions).toEqual([
      {
        unit: 'EC/V03',
        period: '2025-03',
        values: {
          general_hazards_found: 12,
          disputes_resolved: 3,
          'disputes_resolved.labor': 2,
          'disputes_resolved.family': 1,
          veteran_aid_yuan: 1234567.5,
        },
        implied: ['disputes_resolved'],
      },
    ]);
  });

  it('reads a wide UTF-8 CSV with BOM and quoted thousands back, one submission per row, blank columns cleared, late months marked', () => {
    // Prepare
    const written: Submission[] = [
      { unit: 'EC/V01', period: '2025-02', values: { leaflets_distributed: 1234567, disputes_resolved: 0 } },
      { unit: 'EC/V01', period: '2025-03', values: { leaflets_distributed: 999, veteran_aid_yuan: 0.05 } },
    ];
    const style: FileStyle = { format: 'wide', headers: 'code', newline: '\n', encoding: 'utf-8-bom', number: 'thousands' };
    const bytes = writeFile(written, style);
    const text = new TextDecoder().decode(bytes);

    // Act
    const result = check(bytes);

    // Assess
    expect(text).toContain('"1,234,567"');
    expect(result.errors).toEqual([]);
    expect(result.status).toBe('accepted');
    expect(result.format).toBe('wide');
    expect(result.encoding).toBe('utf-8-bom');
    // One header for both rows: each row's blank cell clears what only the other row gives.
    expect(byUnitAndPeriod(result.submissions)).toEqual([
      { ...written[0], cleared: ['veteran_aid_yuan'] },
      { ...written[1], cleared: ['disputes_resolved'] },
    ]);
    expect(result.warnings.map((w) => [w.code, w.period])).toEqual([['LATE', '2025-02']]);
  });

  it('reads any valid set back equal, cleared keys too, in any format, headers, newline, encoding and number style', () => {
    fc.assert(
      fc.property(submissionCaseArb(6, unitArb, true), fileStyleArb, (c, style) => {
        // Prepare
        const bytes = writeFile(c.written, style);
        const expected = expectedIn(c, style.format);

        // Act
        const result = check(bytes, { now: NOW, receivedAt: NOW });

        // Assess
        expect(result.errors).toEqual([]);
        expect(result.status).toBe('accepted');
        expect(result.format).toBe(style.format);
        expect(result.encoding).toBe(expectedEncoding(style, bytes));
        expect(byUnitAndPeriod(result.submissions)).toEqual(byUnitAndPeriod(expected));
        for (const w of result.warnings) expect(WARNING_CODES).toContain(w.code);
        expect(result.warnings.filter((w) => w.code === 'CATEGORY_SUM_MISMATCH')).toEqual([]);
        const late = result.warnings.filter((w) => w.code === 'LATE').map((w) => `${w.unit}|${w.period}`);
        expect(late.sort()).toEqual(lateIds(expected));
      }),
      { numRuns: 200 },
    );
  });
});

describe('writeSubmissions → checkFile on the district: units of several towns read back equal', () => {
  it('reads full codes back from the admin, and one town’s short codes back as its units from that town', () => {
    fc.assert(
      fc.property(
        submissionCaseArb(6, districtUnitArb, true),
        fileStyleArb,
        fc.constantFrom(...district.towns.map((t) => t.code)),
        ({ written, expected: all }, style, town) => {
          // Prepare: the whole set with full codes; the town's part of it with short codes.
          const mine = (subs: readonly Submission[]) => subs.filter((s) => townOf(s.unit) === town);
          const short = mine(written).map((s) => ({ ...s, unit: shortCodeOf(s.unit) }));
          const context = { registry: district, now: NOW, receivedAt: NOW };
          const expected = expectedIn({ written, expected: all }, style.format);
          const expectedMine = expectedIn({ written: mine(written), expected: mine(all) }, style.format);

          // Act
          const byAdmin = check(writeFile(written, style), context);
          const byTown = short.length ? check(writeFile(short, style), { ...context, uploader: { role: 'town', town } }) : undefined;

          // Assess
          expect(byAdmin.errors).toEqual([]);
          expect(byUnitAndPeriod(byAdmin.submissions)).toEqual(byUnitAndPeriod(expected));
          if (byTown) {
            expect(byTown.errors).toEqual([]);
            expect(byUnitAndPeriod(byTown.submissions)).toEqual(byUnitAndPeriod(expectedMine));
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('checkFile on damaged bytes: accepts or rejects with a code, never crashes', () => {
  const file: Submission[] = [{ unit: 'EC/V02', period: '2025-03', values: { traffic_violations: 1500, petitions_received: 4 } }];
  const csv = (encoding: FileStyle['encoding']) =>
    writeFile(file, { format: 'long', headers: 'code', newline: '\n', encoding, number: 'thousands' });

  it('rejects a CSV cut inside a quoted "1,500" as MALFORMED on that row', () => {
    // Prepare
    const bytes = csv('utf-8');
    const cut = new TextDecoder().decode(bytes).indexOf('"1,5') + 3;

    // Act
    const result = check(applyMutations(bytes, [{ kind: 'truncate', at: cut }]));

    // Assess
    assessSound(result);
    expect(result.status).toBe('rejected');
    expect(result.errors.map((e) => [e.code, e.row])).toEqual([['MALFORMED', 2]]);
  });

  it('rejects a file with a NUL byte as UNDECODABLE, and one with a JSON brace broken as MALFORMED', () => {
    // Prepare
    const withNul = applyMutations(csv('utf-8-bom'), [{ kind: 'insert', at: 10, bytes: [0x00] }]);
    const json = writeFile(file, { format: 'json', headers: 'code', newline: '\n', encoding: 'utf-8', number: 'plain' });
    const broken = applyMutations(json, [{ kind: 'delete', at: json.length - 2, length: 1 }]);

    // Act
    const nul = check(withNul);
    const malformed = check(broken);

    // Assess
    assessSound(nul);
    expect(nul.errors.map((e) => e.code)).toEqual(['UNDECODABLE']);
    assessSound(malformed);
    expect(malformed.errors.map((e) => e.code)).toEqual(['MALFORMED']);
  });

  it('accepts or rejects any mutation of a valid file with coded, Chinese findings, and accepts only valid data', () => {
    fc.assert(
      fc.property(validFileArb(3, true), fc.array(mutationArb, { minLength: 1, maxLength: 5 }), (file, mutations: Mutation[]) => {
        // Prepare
        const bytes = applyMutations(file.bytes, mutations);

        // Act
        let result: FileCheck | undefined;
        expect(() => {
          result = check(bytes, { now: NOW, receivedAt: NOW });
        }).not.toThrow();

        // Assess
        assessSound(result!);
      }),
      { numRuns: 400 },
    );
  });
});
