/**
 * Figures that cannot be right, flagged where they are shown (docs/DOMAIN.md#what-the-summaries-say):
 * a rate over 100 %, a negative "in progress", a unit far outside its own history (the
 * ingest's OUTLIER warning). They are shown, not corrected: a month's rectifications may
 * include hazards found in earlier months, so the flag asks the reader to check, and says why.
 * A flag is derived from the figures, so it is no part of a revision's content hash.
 */
import { formatValue } from './numbers.ts';
import type { Finding } from './findings.ts';
import type { Derived } from './summary.ts';

type FlagCode = 'RATE_OVER_100' | 'NEGATIVE_IN_PROGRESS' | 'OUTLIER';

export interface Flag {
  readonly code: FlagCode;
  /** Whose figure: `total` (the summary's org), a unit's key (a town's summary) or a town's code (the district's). */
  readonly where: string;
  /** The figure: a derived field (`rectificationRate`, `petitionsInProgress`…); OUTLIER: the column as the file wrote it. */
  readonly field: string;
  /** The figure as shown: a rate as a percentage string (`138.5%`), a count as a number. */
  readonly value: string;
  readonly message: string;
}

const RATES = [
  ['rectificationRate', '隐患整改率', '整改数多于排查数'],
  ['roadRectificationRate', '临水临崖道路隐患整治率', '整治数多于排查数'],
  ['foodRectificationRate', '食品安全隐患整改率', '销号数多于发现数'],
] as const;

const percent = (r: number) => `${formatValue(Math.round(r * 1000) / 10)}%`;

/** The flags of one set of derived figures, `name` saying whose they are (`鹅池镇合计`, `石柱村`). */
export function derivedFlags(derived: Derived, where: string, name: string): Flag[] {
  const flags: Flag[] = [];
  for (const [field, label, why] of RATES) {
    const rate = derived[field];
    if (rate === null || rate <= 1) continue;
    const value = percent(rate);
    const message = `${name}${label} ${value}，超过 100%（${why}，可能含以前月份发现的隐患），请核对。`;
    flags.push({ code: 'RATE_OVER_100', where, field, value, message });
  }
  const open = derived.petitionsInProgress;
  if (open < 0) {
    const message = `${name}信访办理中 ${open} 件，为负数（办结数多于受理数，可能含以前月份受理的信访），请核对。`;
    flags.push({ code: 'NEGATIVE_IN_PROGRESS', where, field: 'petitionsInProgress', value: String(open), message });
  }
  return flags;
}

/** The units' OUTLIER warnings as flags, each where its unit is named (`keyOf` gives the summary's key). */
export function outlierFlags(warnings: readonly Finding[], keyOf: (unit: string) => string, nameOf: (unit: string) => string): Flag[] {
  return warnings
    .filter((w) => w.code === 'OUTLIER' && w.unit !== undefined)
    .map((w) => ({
      code: 'OUTLIER' as const,
      where: keyOf(w.unit!),
      field: w.column ?? '',
      value: w.value ?? '',
      message: `${nameOf(w.unit!)}：${w.message}`,
    }));
}
