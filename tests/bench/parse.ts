/**
 * Parse+validate throughput on a 10 MiB wide CSV (≈43k rows × 44 columns), against two
 * typed parses of the same bytes: uDSV (a fast parser, the bar to come near) and
 * csv-parse/sync (the common one, the bar to be well above). Each in its own processes.
 */
import { parse } from 'csv-parse/sync';
import { inferSchema, initParser } from 'udsv';
import { VALUE_KEYS } from '../../shared/catalogue.ts';
import { checkFile } from '../../shared/check.ts';
import { csvLine } from '../../shared/csv.ts';
import { month } from '../../shared/period.ts';
import { Registry } from '../../shared/registry.ts';
import { isolated, type BenchFigures } from './measure.ts';

const UNITS = 3600; // a district and more: 3600 units × 12 months = 43 200 rows
const YEAR = 2024;

/** A deterministic pseudo-random source, so that every run measures the same file. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function wideFile(): { bytes: Uint8Array; registry: Registry; rows: number; columns: number } {
  const random = lcg(2025);
  const codes = Array.from({ length: UNITS }, (_, i) => `U${String(i + 1).padStart(4, '0')}`);
  const registry = Registry.parse({
    town: { code: 'BENCH', name: '基准镇', district: '基准区' },
    units: codes.map((code) => ({ code, name: `${code}村`, type: 'village' })),
  });
  const lines = [csvLine(['unit', 'period', ...VALUE_KEYS.map((k) => k.key)])];
  const at = (key: string) => VALUE_KEYS.findIndex((k) => k.key === key);
  const [disputes, rectified, found, closed, received] = [
    'disputes_resolved',
    'hazards_rectified',
    'general_hazards_found',
    'petitions_closed',
    'petitions_received',
  ].map(at) as [number, number, number, number, number];
  const money = at('veteran_aid_yuan');
  for (const code of codes) {
    // Each unit has its own level per metric; months vary around it, as real ones do
    // (so the file is valid and raises no outliers or year-to-date warnings).
    const level = VALUE_KEYS.map(() => random() ** 2 * 24000);
    for (let mo = 1; mo <= 12; mo++) {
      const v = level.map((l) => Math.floor(l * (0.6 + 0.8 * random())));
      v[disputes] = v.slice(disputes + 1, disputes + 6).reduce((a, b) => a + b, 0);
      v[rectified] = Math.min(v[rectified]!, v[found]!);
      v[closed] = Math.min(v[closed]!, v[received]!);
      v[at('road_hazards_fixed')] = Math.min(v[at('road_hazards_fixed')]!, v[at('road_hazards_found')]!);
      v[at('food_hazards_closed')] = Math.min(v[at('food_hazards_closed')]!, v[at('food_hazards_found')]!);
      lines.push(csvLine([code, month(YEAR, mo), ...v.map((x, i) => (i === money ? (x / 100).toFixed(2) : String(x)))]));
    }
  }
  const bytes = new TextEncoder().encode(lines.join('\r\n') + '\r\n');
  return { bytes, registry, rows: lines.length - 1, columns: VALUE_KEYS.length + 2 };
}

const CONTEXT = { uploader: { role: 'admin' } as const, now: new Date('2025-01-10T00:00:00+08:00'), maxBytes: 64 * 1024 * 1024 };

/** The contenders, each checking that it really did the whole file. */
export function parseContenders(): Record<string, () => void> {
  const { bytes, registry, rows } = wideFile();
  return {
    cunbao: () => {
      const result = checkFile(bytes, { ...CONTEXT, registry });
      if (result.status !== 'accepted' || result.submissions.length !== rows)
        throw new Error(`bench file not accepted whole: ${JSON.stringify(result.errors.slice(0, 3))}`);
    },
    csvParse: () => {
      const records = parse(Buffer.from(bytes), { columns: true, cast: true, bom: true }) as Record<string, unknown>[];
      if (records.length !== rows || typeof records[0]!['general_hazards_found'] !== 'number')
        throw new Error('csv-parse did not type the file');
    },
    // typedObjs, not typedArrs: a submission is an object of values keyed by metric, as
    // csv-parse's `columns: true` rows are; both decode the bytes to a string first, as
    // checkFile does. The schema is inferred on every run: checkFile reads its header too.
    udsv: () => {
      const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      const records = initParser(inferSchema(text)).typedObjs(text) as Record<string, unknown>[];
      if (records.length !== rows || typeof records[0]!['general_hazards_found'] !== 'number')
        throw new Error('uDSV did not type the file');
    },
  };
}

export function benchParse(processes: number, runs: number): BenchFigures {
  const { bytes, rows, columns } = wideFile();
  const mib = bytes.length / 1024 / 1024;
  const seconds = isolated('parse', ['cunbao', 'udsv', 'csvParse'], processes, runs);
  const cunbao = mib / seconds.cunbao!;
  const udsv = mib / seconds.udsv!;
  const csvParse = mib / seconds.csvParse!;
  return {
    fileMiB: round(mib),
    rows,
    columns,
    runs: processes * runs,
    cunbaoMiBps: round(cunbao),
    csvParseMiBps: round(csvParse),
    /** cunbao / csv-parse typed; the target is ≥ 4×. */
    ratio: round(cunbao / csvParse),
    udsvMiBps: round(udsv),
    /** cunbao / uDSV typedObjs; the target is ≥ 0.7×. */
    udsvRatio: round(cunbao / udsv),
  };
}

const round = (x: number) => Math.round(x * 100) / 100;
