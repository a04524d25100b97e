/**
 * The district end to end on the run's local stack (config/district.json: towns EC, SH,
 * HX, 9 units each, short codes shared by the towns): files from every town, sent as
 * villages, as towns and as the admin, in the long, wide and JSON formats, with short codes,
 * names, full codes and division codes, and a correction. Afterwards each town's month and
 * year rollups, and the district's, equal a recomputation from the current submissions the
 * ledger holds, which are the last files sent. Files the hierarchy must refuse (an
 * ambiguous short code, another town's unit, a unit before its from month) count nowhere.
 *
 * Years: 2003 (and its months) is used by no other file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Uploader } from '../../shared/check.ts';
import type { CurrentSubmission } from '../../shared/ports/ledger.ts';
import { sum, yearOf, type Values } from '../../shared/rollup.ts';
import { district } from '../support/core.ts';
import { connectStack, longCsv, nonZero, outcomeOf, reopenFor, upload, type StackHandle } from '../support/stack.ts';

let stack: StackHandle;
beforeAll(() => {
  stack = connectStack();
});
afterAll(() => stack.close());

const YEAR = '2003';
const MONTHS = ['2003-01', '2003-02', '2003-03'] as const;
const TOWNS = district.towns.map((t) => t.code);
const DISTRICT = district.district.code;

/** One file as sent: who sends it, under which intent, in which format. */
interface Sent {
  readonly what: string;
  readonly uploader: Uploader;
  readonly unit: string;
  readonly period: string;
  readonly ext: 'csv' | 'json';
  readonly body: string;
}

/** A wide CSV: one row per unit cell and month, the columns the values' keys. */
function wideCsv(rows: readonly { cell: string; period: string; values: Record<string, number> }[]): string {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r.values)))];
  const lines = rows.map((r) => [r.cell, r.period, ...keys.map((k) => String(r.values[k] ?? ''))].join(','));
  return ['unit,period,' + keys.join(','), ...lines].join('\n') + '\n';
}

/** Files of every town, in the order they are sent (the correction last). */
const FILES: readonly Sent[] = [
  // Villages: their own unit, by short code or name.
  {
    what: 'EC/V01 as a village, long, short code',
    uploader: { role: 'village', unit: 'EC/V01' },
    unit: 'EC/V01',
    period: '2003-01',
    ext: 'csv',
    body: longCsv('V01', '2003-01', { general_hazards_found: 4, hazards_rectified: 3, legal_literates: 10 }),
  },
  {
    what: 'SH/V01 as a village, JSON, short code',
    uploader: { role: 'village', unit: 'SH/V01' },
    unit: 'SH/V01',
    period: '2003-01',
    ext: 'json',
    body: JSON.stringify({ unit: 'V01', period: '2003-01', values: { general_hazards_found: 6, veteran_aid_yuan: 1200.5 } }),
  },
  {
    what: 'HX/V02 as a village, wide, its name',
    uploader: { role: 'village', unit: 'HX/V02' },
    unit: 'HX/V02',
    period: '2003-02',
    ext: 'csv',
    body: wideCsv([{ cell: '胜地村', period: '2003-02', values: { general_hazards_found: 2, petitions_received: 5, legal_literates: 7 } }]),
  },
  // Towns: several of their own units in one file (EC/ALL, months unknown).
  {
    what: 'EC as a town, wide, several units and months by short code and name',
    uploader: { role: 'town', town: 'EC' },
    unit: 'EC/ALL',
    period: 'unknown',
    ext: 'csv',
    body: wideCsv([
      { cell: 'V02', period: '2003-01', values: { general_hazards_found: 1, legal_literates: 5 } },
      { cell: '新建村', period: '2003-02', values: { general_hazards_found: 3, petitions_received: 2 } },
      { cell: 'TOWN', period: '2003-03', values: { general_hazards_found: 8, legal_literates: 2 } },
      { cell: 'V02', period: '2003-03', values: { legal_literates: 6 } },
    ]),
  },
  {
    what: 'SH as a town, long, several units of one month (新建村 is SH/V05 here)',
    uploader: { role: 'town', town: 'SH' },
    unit: 'SH/ALL',
    period: '2003-02',
    ext: 'csv',
    body:
      longCsv('新建村', '2003-02', { general_hazards_found: 9, 'disputes_resolved.labor': 2 }) +
      longCsv('V03', '2003-02', { general_hazards_found: 1 }).split('\n').slice(1).join('\n'),
  },
  {
    what: 'HX as a town, JSON array of two units',
    uploader: { role: 'town', town: 'HX' },
    unit: 'HX/ALL',
    period: 'unknown',
    ext: 'json',
    body: JSON.stringify([
      { unit: 'V07', period: '2003-01', values: { general_hazards_found: 2, legal_literates: 4 } },
      { unit: 'TOWN', period: '2003-03', values: { veteran_aid_yuan: 300.25, petitions_received: 1 } },
    ]),
  },
  // The admin: any units, by full and division codes (ALL/ALL), or by short codes in the town it names.
  {
    what: 'the admin, wide, full and division codes of three towns',
    uploader: { role: 'admin' },
    unit: 'ALL/ALL',
    period: 'unknown',
    ext: 'csv',
    body: wideCsv([
      { cell: 'EC/V03', period: '2003-03', values: { general_hazards_found: 5, legal_literates: 3 } },
      { cell: 'sh/v04', period: '2003-01', values: { general_hazards_found: 7 } },
      { cell: '500114112001', period: '2003-02', values: { general_hazards_found: 11, petitions_received: 3 } },
    ]),
  },
  {
    what: 'the admin naming town SH, JSON, short code',
    uploader: { role: 'admin', town: 'SH' },
    unit: 'SH/ALL',
    period: '2003-03',
    ext: 'json',
    body: JSON.stringify({ unit: 'TOWN', period: '2003-03', values: { general_hazards_found: 4, legal_literates: 9 } }),
  },
  // A correction: SH/V01's January replaced by its village (the earlier values no longer count).
  {
    what: 'SH/V01 corrected by its village',
    uploader: { role: 'village', unit: 'SH/V01' },
    unit: 'SH/V01',
    period: '2003-01',
    ext: 'csv',
    body: longCsv('V01', '2003-01', { general_hazards_found: 2, veteran_aid_yuan: 1000 }),
  },
];

/** What each unit-month holds once FILES are in: the last file's values for it. */
const EXPECTED_CURRENT: Record<string, Values> = {
  'EC/V01|2003-01': { general_hazards_found: 4, hazards_rectified: 3, legal_literates: 10 },
  'SH/V01|2003-01': { general_hazards_found: 2, veteran_aid_yuan: 1000 },
  'HX/V02|2003-02': { general_hazards_found: 2, petitions_received: 5, legal_literates: 7 },
  'EC/V02|2003-01': { general_hazards_found: 1, legal_literates: 5 },
  'EC/V05|2003-02': { general_hazards_found: 3, petitions_received: 2 },
  'EC/TOWN|2003-03': { general_hazards_found: 8, legal_literates: 2 },
  'EC/V02|2003-03': { legal_literates: 6 },
  'SH/V05|2003-02': { general_hazards_found: 9, disputes_resolved: 2, 'disputes_resolved.labor': 2 },
  'SH/V03|2003-02': { general_hazards_found: 1 },
  'HX/V07|2003-01': { general_hazards_found: 2, legal_literates: 4 },
  'HX/TOWN|2003-03': { veteran_aid_yuan: 300.25, petitions_received: 1 },
  'EC/V03|2003-03': { general_hazards_found: 5, legal_literates: 3 },
  'SH/V04|2003-01': { general_hazards_found: 7 },
  'HX/V01|2003-02': { general_hazards_found: 11, petitions_received: 3 },
  'SH/TOWN|2003-03': { general_hazards_found: 4, legal_literates: 9 },
};

/** The year of a set of current submissions: each unit's year (stocks at their latest month), summed. */
function yearTotals(currents: readonly CurrentSubmission[]): Record<string, number> {
  const byUnit = new Map<string, Map<string, Values>>();
  for (const c of currents) byUnit.set(c.unit, (byUnit.get(c.unit) ?? new Map()).set(c.period, c.values));
  return sum([...byUnit.values()].map((months) => yearOf(months)));
}

async function currentOf(town?: string): Promise<CurrentSubmission[]> {
  const months = Array.from({ length: 12 }, (_, i) => `${YEAR}-${String(i + 1).padStart(2, '0')}`);
  return (await Promise.all(months.map((m) => stack.ledger.currentOfMonth(m, town)))).flat();
}

describe('a district: files from every town, as villages, towns and the admin', () => {
  beforeAll(async () => {
    // 2003 is long past its lock days: reopened for the villages and towns that send it here.
    await reopenFor(
      stack,
      district.units.map((u) => u.fullCode),
      MONTHS,
      district,
    );
    // One after the other: the correction must come after the file it corrects.
    for (const file of FILES) {
      const { uploadId } = await upload(stack, file);
      const record = await outcomeOf(stack, uploadId);
      if (record.status !== 'accepted') throw new Error(`${file.what}: ${record.status} ${JSON.stringify(record.errors)}`);
    }
  });

  it('holds as current submissions exactly the last values sent for each unit-month, under full codes', async () => {
    // Act
    const held = Object.fromEntries((await currentOf()).map((c) => [`${c.unit}|${c.period}`, nonZero(c.values)]));

    // Assess
    expect(held).toEqual(EXPECTED_CURRENT);
  });

  it.each(TOWNS)('gives town %s month and year rollups equal to a recomputation from its current submissions', async (town) => {
    // Prepare
    const currents = await currentOf(town);

    // Act + Assess
    expect(currents.length).toBeGreaterThan(0);
    expect(currents.every((c) => c.unit.startsWith(`${town}/`))).toBe(true);
    for (const m of MONTHS) {
      const recomputed = nonZero(sum(currents.filter((c) => c.period === m).map((c) => c.values)));
      expect(nonZero(await stack.ledger.rollup(town, 'month', m)), `${town} ${m}`).toEqual(recomputed);
    }
    expect(nonZero(await stack.ledger.rollup(town, 'year', YEAR))).toEqual(nonZero(yearTotals(currents)));
  });

  it('gives the district month and year rollups equal to a recomputation from every current submission, and to the sum of its towns', async () => {
    // Prepare
    const currents = await currentOf();

    // Act + Assess
    for (const m of MONTHS) {
      const recomputed = nonZero(sum(currents.filter((c) => c.period === m).map((c) => c.values)));
      const towns = nonZero(sum(await Promise.all(TOWNS.map((t) => stack.ledger.rollup(t, 'month', m)))));
      const rollup = nonZero(await stack.ledger.rollup(DISTRICT, 'month', m));
      expect(rollup, `${DISTRICT} ${m}`).toEqual(recomputed);
      expect(rollup, `${DISTRICT} ${m}: the sum of its towns`).toEqual(towns);
    }
    const year = nonZero(await stack.ledger.rollup(DISTRICT, 'year', YEAR));
    expect(year).toEqual(nonZero(yearTotals(currents)));
    // Stocks: each unit's latest month (EC/V02: March's 6, not January's 5), summed over the district.
    expect(year['legal_literates']).toBe(10 + 6 + 2 + 3 + 7 + 4 + 9);
    expect(year['general_hazards_found']).toBe(4 + 2 + 2 + 1 + 3 + 8 + 9 + 1 + 2 + 5 + 7 + 11 + 4);
  });

  it("gives each unit's year under its full code, and a town's unit years only its own", async () => {
    // Act
    const all = await stack.ledger.unitYears(YEAR);
    const sh = await stack.ledger.unitYears(YEAR, 'SH');

    // Assess
    expect(all.map((y) => y.unit).sort()).toEqual([...new Set(Object.keys(EXPECTED_CURRENT).map((k) => k.split('|')[0]!))].sort());
    expect(sh.map((y) => y.unit).sort()).toEqual(['SH/TOWN', 'SH/V01', 'SH/V03', 'SH/V04', 'SH/V05']);
    expect(nonZero(sh.find((y) => y.unit === 'SH/V01')!.values)).toEqual({ general_hazards_found: 2, veteran_aid_yuan: 1000 });
  });
});

describe('a district: files the hierarchy refuses count nowhere', () => {
  const MONTH = '2003-06';

  it.each([
    {
      what: 'an admin without a town writing a short code three towns have',
      spec: { uploader: { role: 'admin' } as Uploader, unit: 'ALL/ALL', body: longCsv('V01', MONTH, { emergency_drills: 1 }) },
      code: 'AMBIGUOUS_UNIT',
    },
    {
      what: "a town sending another town's unit by its full code",
      spec: { uploader: { role: 'town', town: 'EC' } as Uploader, unit: 'EC/ALL', body: longCsv('SH/V02', MONTH, { emergency_drills: 1 }) },
      code: 'UNIT_NOT_ALLOWED',
    },
    {
      what: 'a file under EC/ALL holding a unit of SH (an admin)',
      spec: { uploader: { role: 'admin' } as Uploader, unit: 'EC/ALL', body: longCsv('SH/V02', MONTH, { emergency_drills: 1 }) },
      code: 'UNIT_MISMATCH',
    },
    {
      what: 'a unit before its from month (SH/V08 exists from 2025-07)',
      spec: { uploader: { role: 'town', town: 'SH' } as Uploader, unit: 'SH/ALL', body: longCsv('V08', MONTH, { emergency_drills: 1 }) },
      code: 'UNKNOWN_UNIT',
    },
  ])('rejects $what with $code', async ({ spec, code }) => {
    // Act
    const { uploadId } = await upload(stack, { ...spec, period: MONTH });
    const record = await outcomeOf(stack, uploadId);

    // Assess
    expect(record.status).toBe('rejected');
    expect(record.errors?.map((e) => e.code)).toContain(code);
    expect(await stack.ledger.currentOfMonth(MONTH)).toEqual([]);
    for (const org of [...TOWNS, DISTRICT]) expect(await stack.ledger.rollup(org, 'month', MONTH)).toEqual({});
  });
});
