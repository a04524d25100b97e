/**
 * Exactly-once rollups, against a real DynamoDB Local through the real SDK, on the sample
 * district (config/district.json: towns EC, SH, HX, whose units share short codes).
 *
 * A property test replays random sequences of uploads, exact duplicates, corrections that
 * state part of a month and clear some of its values (docs/DOMAIN.md#corrections: blank
 * long rows, blank wide cells, JSON null), rejected files, objects nobody announced,
 * multi-submission files, redelivered events, out-of-order and concurrent processing of
 * many units of several towns, each file sent by a village (its own unit, by short code), a
 * town (its units, by short code) or the admin (any units, by full or division code),
 * deliveries that die mid-way and come again, and review actions (approve, return, reopen:
 * docs/DOMAIN.md#review) racing the deliveries, each on the version its reviewer read some
 * steps before. What the ledger recorded of each upload says which of its months count (an
 * approved month refuses its unit and town, PERIOD_LOCKED); after every step (that leaves
 * no upload half done), and in full at the end, the ledger equals a recomputation that
 * folds those versions in upload order: every town's month and year totals, and the
 * district's. Each month's audit trail shows that every decision was made at the version
 * its reviewer saw, that no version of a unit or town went into a locked month, and that
 * every refusal met a lock.
 * Deterministic examples pin the behaviours the property is about; three more pin defects
 * found on the way (fixed).
 *
 * FC_RUNS=<n> runs more cases; FC_SEED=<seed> FC_PATH=<path> (printed by fast-check)
 * replays a failing one.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Submission } from '../../shared/check.ts';
import { foldStatement } from '../../shared/corrections.ts';
import { ConflictError, type IngestResult, type ObjectCreated } from '../../shared/ingest/ingest.ts';
import { anyUnitOf, reportKey } from '../../shared/layout.ts';
import type { DynamoLedger } from '../../shared/adapters/dynamodb-ledger.ts';
import { DynamoReviews } from '../../shared/adapters/dynamodb-reviews.ts';
import { formatValue } from '../../shared/numbers.ts';
import { lockOf } from '../../shared/period.ts';
import { reviewMonth } from '../../shared/review/act.ts';
import { ReviewError, type MonthReview, type ReviewAction } from '../../shared/review/review.ts';
import { existsIn, townOf } from '../../shared/registry.ts';
import type { Values } from '../../shared/rollup.ts';
import type { Uploader } from '../../shared/check.ts';
import type { UploadRecord } from '../../shared/uploads.ts';
import { writeSubmissions, type WrittenFormat } from '../../shared/write.ts';
import { clearedArb, encodeText, valuesArb as catalogueValuesArb, type FileEncoding } from '../support/arbitraries.ts';
import { check, district } from '../support/core.ts';
import {
  cents,
  CrashError,
  CrashingLedger,
  deliver,
  deliverBatch,
  expectedCurrent,
  expectedMonth,
  expectedUnitYears,
  expectedYear,
  FIRST_EVENT_MS,
  freshLedger,
  inForceAt,
  isDecision,
  locksOut,
  MemoryObjectStore,
  metAt,
  NOW,
  now,
  sequencer,
  slotOf,
  startDynamo,
  WriteCounter,
  TornReadLedger,
  upload,
  type AcceptedUpload,
  type Deps,
  type DynamoServer,
} from '../support/ingest-harness.ts';

const MONTHS = ['2025-01', '2025-02', '2025-03'] as const;
const YEAR = '2025';
const NUM_RUNS = Number(process.env.FC_RUNS ?? 20);
const REPLAY = process.env.FC_SEED !== undefined;
/** Generous: a loaded machine runs a case several times slower; a hang is caught per case. */
const TEST_TIMEOUT_MS = Math.max(480_000, NUM_RUNS * 8_000);

let server: DynamoServer;

beforeAll(async () => {
  server = await startDynamo();
});

afterAll(async () => {
  await server?.stop();
});

// ---------------------------------------------------------------------------------------
// The model: files (in the order of their PUTs), a schedule of event deliveries, and
// review actions among them
// ---------------------------------------------------------------------------------------

/**
 * A submission's values as written into the file, the keys it clears (written blank, JSON
 * null), and the values the core must read (totals filled in from categories).
 */
interface Vals {
  readonly written: Record<string, number>;
  readonly cleared: readonly string[];
  readonly expected: Record<string, number>;
}

interface Sub {
  readonly unit: string;
  readonly period: string;
  readonly values: Vals;
}

interface Style {
  readonly format: WrittenFormat;
  readonly headers: 'code' | 'label';
  readonly encoding: FileEncoding;
}

type FileKind = 'upload' | 'correction' | 'multi' | 'not-a-number' | 'no-intent';

/** Who sends a file: a village (one unit), a town (its own units) or the admin (any). */
type Sender = 'village' | 'town' | 'admin';

interface FilePlan {
  readonly kind: FileKind;
  readonly sender: Sender;
  readonly uploadId: string;
  readonly subs: readonly Sub[];
  readonly style: Style;
  /** not-a-number: which written value (mod their count) becomes `token`. */
  readonly bad?: { readonly at: number; readonly token: string };
  readonly eventTime: string;
  readonly sequencer: string;
}

/** One delivery of a file's event; `crash`: the process dies after that many writes (0: at its first). */
interface Delivery {
  readonly file: number;
  readonly crash?: number;
}

/**
 * A review action on a unit-month of the case's files: run in `step`, concurrently with
 * that step's deliveries, on the version its reviewer read just before step `look`.
 */
interface ReviewPlan {
  readonly unit: string;
  readonly period: string;
  readonly action: ReviewAction;
  readonly by: 'town' | 'admin';
  readonly step: number;
  readonly look: number;
}

interface Plan {
  readonly files: readonly FilePlan[];
  /** Steps in order; the deliveries of one step are processed concurrently (Promise.all). */
  readonly steps: readonly (readonly Delivery[])[];
  readonly reviews: readonly ReviewPlan[];
  /**
   * A step's deliveries that do not crash come as one queue batch (ingestBatch, as the ingest
   * handler runs them: checked side by side, one-month files written together), not each alone.
   */
  readonly batched: boolean;
}

/** The district's units that exist in every month of the cases (SH/V08 only from 2025-07). */
const UNITS = district.codes().filter((u) => MONTHS.every((m) => existsIn(district.get(u)!, m)));
/** The district's orgs whose totals are checked: each town (its units) and the district (all). */
const ORGS = district.orgs.map((org) => ({ code: org.code, town: org.level === 'town' ? org.code : undefined }));

// Most cases use three busy units, two of them with the same short code in different towns
// (corrections, races); the rest spread over all the district's units.
const unitArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('EC/V01', 'SH/V01', 'HX/V02') },
  { weight: 2, arbitrary: fc.constantFrom(...UNITS) },
);
const senderArb = fc.constantFrom<Sender>('village', 'town', 'admin');
const monthArb = fc.constantFrom(...MONTHS);
const slotArb = fc.record({ unit: unitArb, period: monthArb });

const countArb = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 60 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 1_000_000_000 }) },
);
/** Yuan with at most 2 decimals (integer cents / 100). */
const moneyArb = fc
  .oneof(
    { weight: 3, arbitrary: fc.integer({ min: 0, max: 100_000 }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 100_000_000_000 }) },
  )
  .map((c) => c / 100);

/** The keys most submissions use (below); clears pick among them, so that they mostly clear what an earlier upload set. */
const FOCUS_KEYS = [
  'general_hazards_found',
  'major_hazards_found',
  'legal_literates',
  'petitions_received',
  'veteran_aid_yuan',
  'disputes_resolved',
  'disputes_resolved.labor',
  'disputes_resolved.family',
];

/** Keys a submission may clear: any it does not write, but the dispute total beside written categories (blank there, it is their sum). */
function clearable(written: Readonly<Record<string, number>>): string[] {
  const categories = Object.keys(written).some((k) => k.startsWith('disputes_resolved.'));
  return FOCUS_KEYS.filter((k) => !(k in written) && !(categories && k === 'disputes_resolved'));
}

/** A few metrics that many submissions share: flows, a stock, money, and categories; some cleared. */
const focusedValuesArb: fc.Arbitrary<Vals> = fc
  .record(
    {
      general_hazards_found: countArb,
      major_hazards_found: countArb,
      legal_literates: countArb, // stock: a year's value is its latest month's
      petitions_received: countArb,
      veteran_aid_yuan: moneyArb,
      disputes: fc.oneof(
        countArb.map((total) => ({ total, categories: {} as Record<string, number> })),
        fc
          .record({ labor: countArb, family: countArb }, { requiredKeys: [] })
          .filter((c) => Object.keys(c).length > 0)
          .map((categories) => ({ total: undefined, categories: categories as Record<string, number> })),
      ),
    },
    { requiredKeys: [] },
  )
  .filter((v) => Object.keys(v).length > 0)
  .map(({ disputes, ...plain }) => {
    const written: Record<string, number> = { ...plain };
    const expected: Record<string, number> = { ...plain };
    if (disputes) {
      const cats = Object.entries(disputes.categories).map(([c, v]) => [`disputes_resolved.${c}`, v] as const);
      for (const [k, v] of cats) written[k] = expected[k] = v;
      if (disputes.total !== undefined) written['disputes_resolved'] = disputes.total;
      expected['disputes_resolved'] = disputes.total ?? cats.reduce((a, [, v]) => a + v, 0);
    }
    return { written, expected };
  })
  .chain((v) => {
    const candidates = clearable(v.written);
    const cleared = candidates.length
      ? fc.oneof(
          { weight: 3, arbitrary: fc.constant<string[]>([]) },
          { weight: 2, arbitrary: fc.subarray(candidates, { minLength: 1, maxLength: Math.min(3, candidates.length) }) },
        )
      : fc.constant<string[]>([]);
    return cleared.map((keys) => ({ ...v, cleared: keys }));
  });

/** Any of the catalogue's values, now and then clearing a few others. */
const anyValuesArb: fc.Arbitrary<Vals> = catalogueValuesArb.chain((v) =>
  fc
    .oneof({ weight: 3, arbitrary: fc.constant<string[]>([]) }, { weight: 1, arbitrary: clearedArb(v.written) })
    .map((cleared) => ({ ...v, cleared })),
);

const valuesArb: fc.Arbitrary<Vals> = fc.oneof({ weight: 4, arbitrary: focusedValuesArb }, { weight: 1, arbitrary: anyValuesArb });

const styleArb: fc.Arbitrary<Style> = fc.record({
  format: fc.constantFrom<WrittenFormat>('long', 'wide', 'json'),
  headers: fc.constantFrom<'code' | 'label'>('code', 'label'),
  encoding: fc.oneof(
    { weight: 3, arbitrary: fc.constant<FileEncoding>('utf-8') },
    { weight: 1, arbitrary: fc.constantFrom<FileEncoding>('utf-8-bom', 'gb18030') },
  ),
});

/** Several distinct unit-months in one file: two months of one unit, two units, or any. */
const multiSlotsArb: fc.Arbitrary<{ unit: string; period: string }[]> = fc.oneof(
  fc.tuple(unitArb, fc.uniqueArray(monthArb, { minLength: 2, maxLength: 3 })).map(([unit, ms]) => ms.map((period) => ({ unit, period }))),
  fc.tuple(fc.uniqueArray(unitArb, { minLength: 2, maxLength: 3 }), monthArb).map(([us, period]) => us.map((unit) => ({ unit, period }))),
  fc.uniqueArray(slotArb, { minLength: 2, maxLength: 4, selector: (s) => slotOf(s.unit, s.period) }),
);

type FileDraft = { sender: Sender } & (
  | { kind: 'upload' | 'no-intent'; slot: { unit: string; period: string }; values: Vals; style: Style }
  | { kind: 'correction'; of: number; slot: { unit: string; period: string }; values: Vals; style: Style }
  | { kind: 'multi'; slots: { unit: string; period: string }[]; values: Vals[]; style: Style }
  | { kind: 'not-a-number'; slots: { unit: string; period: string }[]; values: Vals[]; style: Style; at: number; token: string }
);

const fileDraftArb: fc.Arbitrary<FileDraft> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant('upload' as const), slot: slotArb, values: valuesArb, style: styleArb, sender: senderArb }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('correction' as const),
      of: fc.nat(),
      slot: slotArb,
      values: valuesArb,
      style: styleArb,
      sender: senderArb,
    }),
  },
  {
    weight: 2,
    arbitrary: multiSlotsArb.chain((slots) =>
      fc.record({
        kind: fc.constant('multi' as const),
        sender: senderArb,
        slots: fc.constant(slots),
        values: fc.array(valuesArb, { minLength: slots.length, maxLength: slots.length }),
        // Mostly the wide CSV (several rows of one unit), as a secretary sends it.
        style: fc.record({
          format: fc.constantFrom<WrittenFormat>('wide', 'wide', 'long', 'json'),
          headers: fc.constantFrom<'code' | 'label'>('code', 'label'),
          encoding: fc.constant<FileEncoding>('utf-8'),
        }),
      }),
    ),
  },
  {
    weight: 2,
    arbitrary: fc
      .oneof(
        slotArb.map((s) => [s]),
        multiSlotsArb,
      )
      .chain((slots) =>
        fc.record({
          kind: fc.constant('not-a-number' as const),
          sender: senderArb,
          slots: fc.constant(slots),
          values: fc.array(valuesArb, { minLength: slots.length, maxLength: slots.length }),
          style: styleArb,
          at: fc.nat(),
          token: fc.constantFrom('abc', '十二', 'N/A', '1O', '#VALUE!'),
        }),
      ),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('no-intent' as const), slot: slotArb, values: valuesArb, style: styleArb, sender: senderArb }),
  },
);

/** Review actions: mostly approvals; some followed, a few steps later, by another action on the same month (a reopening, mostly). */
const actionArb = fc.constantFrom<ReviewAction>('approve', 'approve', 'approve', 'return', 'reopen');
const reviewDraftArb = fc.record({
  /** Which unit-month of the case's valid files (mod their count: the busy ones more often). */
  of: fc.nat(),
  action: actionArb,
  by: fc.constantFrom<'town' | 'admin'>('town', 'town', 'admin'),
  /** When its reviewer read the month: steps after the month's first delivery (mostly once it was done). */
  readAfter: fc.oneof({ weight: 1, arbitrary: fc.integer({ min: -1, max: 0 }) }, { weight: 4, arbitrary: fc.integer({ min: 1, max: 3 }) }),
  /** How many steps after its reviewer's read it runs (0: in the step read before). */
  waits: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3 })),
  /** Another action on the same month, `after` steps later, its reviewer's read `waits` steps before it. */
  next: fc.option(
    fc.record({
      action: fc.constantFrom<ReviewAction>('reopen', 'reopen', 'return', 'approve'),
      after: fc.integer({ min: 1, max: 6 }),
      waits: fc.nat(2),
    }),
    { nil: undefined, freq: 2 },
  ),
});

type ReviewDraft = typeof reviewDraftArb extends fc.Arbitrary<infer T> ? T : never;

/**
 * The review actions of a plan, on the unit-months of its valid files (any file's, if none
 * is valid; the busy ones more often), each read by its reviewer around the step a file of
 * that month is first delivered in (mostly after), and run then or a few steps later: while
 * later uploads of the month come (an approval refuses its unit's and town's), and when
 * they race it.
 */
function reviewsOf(files: readonly FilePlan[], steps: readonly (readonly Delivery[])[], drafts: readonly ReviewDraft[]): ReviewPlan[] {
  const chosen = files.some(valid) ? files.filter(valid) : files;
  const slots = chosen.flatMap((f) => f.subs.map((s) => ({ unit: s.unit, period: s.period })));
  const last = steps.length - 1;
  return drafts.flatMap((d) => {
    const slot = slots[d.of % slots.length]!;
    const delivered = steps.findIndex((step) =>
      step.some(
        (o) => chosen.includes(files[o.file]!) && files[o.file]!.subs.some((s) => s.unit === slot.unit && s.period === slot.period),
      ),
    );
    const look = Math.min(last, Math.max(0, delivered + d.readAfter));
    const step = Math.min(last, look + d.waits);
    const first: ReviewPlan = { ...slot, action: d.action, by: d.by, step, look };
    if (!d.next) return [first];
    const then = Math.min(last, step + d.next.after);
    return [first, { ...slot, action: d.next.action, by: d.by, step: then, look: Math.max(0, then - d.next.waits) }];
  });
}

/** Milliseconds between consecutive PUTs: 0 = the same event time; within a second the upload ids decide. */
const gapArb = fc.constantFrom(0, 1, 1000, 60_000);

const planArb: fc.Arbitrary<Plan> = fc
  .record({
    drafts: fc.array(fileDraftArb, { minLength: 5, maxLength: 20 }),
    gaps: fc.array(gapArb, { minLength: 20, maxLength: 20 }),
    sequencerStyle: fc.constantFrom<'short' | 'long'>('short', 'long'),
    // Where each file's own event is processed, relative to its PUT (0: in order).
    shifts: fc.array(fc.oneof({ weight: 2, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: fc.integer({ min: -8, max: 8 }) }), {
      minLength: 20,
      maxLength: 20,
    }),
    // Exact redeliveries of the same ObjectCreated, anywhere in the schedule.
    duplicates: fc.array(fc.record({ file: fc.nat(), at: fc.integer({ min: -2, max: 24 }) }), { maxLength: 6 }),
    // Some files' first delivery dies mid-way (after n writes); SQS delivers the event again later.
    crashes: fc.array(
      fc.oneof(
        { weight: 7, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.record({ after: fc.nat(3), redeliverIn: fc.nat(6) }) },
      ),
      { minLength: 20, maxLength: 20 },
    ),
    // How often an event runs concurrently with the one before it (100: all at once).
    joinPercent: fc.constantFrom(0, 30, 60, 100),
    joins: fc.array(fc.nat(99), { minLength: 30, maxLength: 30 }),
    reviews: fc.array(reviewDraftArb, { maxLength: 8 }),
    batched: fc.boolean(),
  })
  .map(({ drafts, gaps, sequencerStyle, shifts, duplicates, crashes, joinPercent, joins, reviews, batched }) => {
    let time = FIRST_EVENT_MS;
    const files: FilePlan[] = [];
    for (const [i, draft] of drafts.entries()) {
      time += i === 0 ? 0 : gaps[i]!;
      const common = {
        uploadId: `upload-${String(i).padStart(3, '0')}`,
        style: draft.style,
        eventTime: new Date(time).toISOString(),
        sequencer: sequencer(sequencerStyle, i),
      };
      const push = (file: Omit<FilePlan, 'sender' | keyof typeof common>) =>
        files.push({ ...common, ...file, sender: senderFor(draft.sender, file.subs) });
      switch (draft.kind) {
        case 'upload':
        case 'no-intent':
          push({ kind: draft.kind, subs: [{ ...draft.slot, values: draft.values }] });
          break;
        case 'correction': {
          // The same unit and month as an earlier file, new values.
          const earlier = files.flatMap((f) => f.subs.map((s) => ({ unit: s.unit, period: s.period })));
          const slot = earlier.length ? earlier[draft.of % earlier.length]! : draft.slot;
          push({ kind: earlier.length ? 'correction' : 'upload', subs: [{ ...slot, values: draft.values }] });
          break;
        }
        case 'multi':
          push({ kind: 'multi', subs: draft.slots.map((slot, k) => ({ ...slot, values: draft.values[k]! })) });
          break;
        case 'not-a-number':
          push({
            kind: 'not-a-number',
            subs: draft.slots.map((slot, k) => ({ ...slot, values: draft.values[k]! })),
            bad: { at: draft.at, token: draft.token },
          });
          break;
      }
    }
    const byOrder = (a: { at: number; seq: number }, b: { at: number; seq: number }) => a.at - b.at || a.seq - b.seq;
    const deliveries: { file: number; at: number; seq: number; crash?: number }[] = [
      ...files.map((_, i) => ({ file: i, at: i + (shifts[i] ?? 0) })),
      ...duplicates.map((d) => ({ file: d.file % files.length, at: d.at })),
    ].map((d, seq) => ({ ...d, seq }));
    // A crashing file: its first delivery dies, and the event comes again after it.
    for (const [i, crash] of crashes.entries()) {
      if (!crash || i >= files.length) continue;
      const first = deliveries.filter((d) => d.file === i).sort(byOrder)[0]!;
      first.crash = crash.after;
      deliveries.push({ file: i, at: first.at + 1 + crash.redeliverIn, seq: deliveries.length });
    }
    deliveries.sort(byOrder);
    const steps: Delivery[][] = [];
    for (const [j, d] of deliveries.entries()) {
      const delivery: Delivery = d.crash === undefined ? { file: d.file } : { file: d.file, crash: d.crash };
      if (j > 0 && (joins[j % joins.length] ?? 100) < joinPercent) steps.at(-1)!.push(delivery);
      else steps.push([delivery]);
    }
    return { files, steps, reviews: reviewsOf(files, steps, reviews), batched };
  });

// ---------------------------------------------------------------------------------------
// Files as bytes
// ---------------------------------------------------------------------------------------

/**
 * The sender a file gets: the one drawn if it may send every unit of the file (a village one
 * unit, a town the units of one town), else the narrowest that may.
 */
function senderFor(wish: Sender, subs: readonly { unit: string }[]): Sender {
  const units = new Set(subs.map((s) => s.unit));
  const towns = new Set([...units].map(townOf));
  if (wish === 'village' && units.size === 1) return 'village';
  if (wish !== 'admin' && towns.size === 1) return 'town';
  return 'admin';
}

/**
 * How the sender's upload is recorded (as the API does) and how its file names a unit: a
 * village and a town write short codes (read within their town), the admin, who names no
 * town, full codes or (every other file) division codes.
 */
function senderOf(file: FilePlan): { uploader: Uploader; unit: string; cell: (unit: string) => string } {
  const units = new Set(file.subs.map((s) => s.unit));
  const towns = new Set([...units].map(townOf));
  const [only] = units;
  const [town] = towns;
  const short = (unit: string) => district.get(unit)!.code;
  switch (file.sender) {
    case 'village':
      return { uploader: { role: 'village', unit: only! }, unit: only!, cell: short };
    case 'town':
      return { uploader: { role: 'town', town: town! }, unit: units.size === 1 ? only! : anyUnitOf(town), cell: short };
    case 'admin': {
      const byDivision = Number(file.uploadId.slice(-1)) % 2 === 1;
      const unit = units.size === 1 ? only! : towns.size === 1 ? anyUnitOf(town) : anyUnitOf();
      return { uploader: { role: 'admin' }, unit, cell: (u) => (byDivision ? district.get(u)!.divisionCode! : u) };
    }
  }
}

function fileBytes(file: FilePlan): Uint8Array {
  const { cell } = senderOf(file);
  const written: Submission[] = file.subs.map((s) => ({
    unit: cell(s.unit),
    period: s.period,
    values: s.values.written,
    ...(s.values.cleared.length ? { cleared: s.values.cleared } : {}),
  }));
  const { format, headers, encoding } = file.style;
  if (!file.bad) return encodeText(writeSubmissions(written, { format, headers }), encoding);
  const count = written.reduce((n, s) => n + Object.keys(s.values).length, 0);
  const at = file.bad.at % count;
  const token = file.bad.token;
  if (format === 'json') {
    // The n-th value (in the order written) becomes a string that is not a number.
    let n = 0;
    const objects = written.map((s) => ({
      unit: s.unit,
      period: s.period,
      values: {
        ...Object.fromEntries(Object.entries(s.values).map(([k, v]) => [k, n++ === at ? token : v])),
        ...Object.fromEntries((s.cleared ?? []).map((k) => [k, null])),
      },
    }));
    return encodeText(JSON.stringify(objects.length === 1 ? objects[0] : objects, null, 2) + '\n', encoding);
  }
  let n = 0;
  return encodeText(writeSubmissions(written, { format, headers, number: (v) => (n++ === at ? token : formatValue(v)) }), encoding);
}

/** The key's unit and period: the sender's (one unit, `EC/ALL`, `ALL/ALL`), and the file's month or `unknown`. */
function keyOf(file: FilePlan): { unit: string; period: string } {
  const periods = new Set(file.subs.map((s) => s.period));
  return { unit: senderOf(file).unit, period: periods.size === 1 ? file.subs[0]!.period : 'unknown' };
}

/** A file meant to be valid: accepted, unless (its sender a village or a town) a month of it is locked. */
const valid = (file: FilePlan): boolean => file.kind !== 'not-a-number' && file.kind !== 'no-intent';

/**
 * The model's own precondition: a file meant to be valid checks valid and states what the
 * oracle folds (values, clears, implied totals), and a bad one is rejected.
 */
function assertModel(file: FilePlan, bytes: Uint8Array): void {
  const result = check(bytes, { registry: district, uploader: senderOf(file).uploader });
  if (file.kind === 'not-a-number') {
    if (result.status !== 'rejected' || !result.errors.some((e) => e.code === 'NOT_A_NUMBER'))
      throw new Error(`model: ${file.uploadId} should check as NOT_A_NUMBER: ${JSON.stringify(result.errors)}`);
    return;
  }
  const normal = (subs: readonly Submission[]) =>
    subs
      .map((s) => ({
        slot: slotOf(s.unit, s.period),
        values: cents(s.values),
        cleared: [...(s.cleared ?? [])].sort(),
        implied: [...(s.implied ?? [])].sort(),
      }))
      .sort((a, b) => (a.slot < b.slot ? -1 : 1));
  const expected = normal(statementsOf(file));
  if (result.status !== 'accepted' || JSON.stringify(normal(result.submissions)) !== JSON.stringify(expected)) {
    throw new Error(
      `model: ${file.uploadId} should check as accepted with ${JSON.stringify(expected)}, got ${result.status} ${JSON.stringify(result.errors)} ${JSON.stringify(result.status === 'accepted' ? normal(result.submissions) : [])}`,
    );
  }
}

/**
 * What a file states of each of its unit-months (docs/DOMAIN.md#corrections): the values
 * written, the totals the reader adds up from categories (implied), and the keys it clears:
 * its own blanks (long rows, JSON null), and in a wide file every column of the file
 * another row fills and this one leaves blank.
 */
function statementsOf(file: FilePlan): Submission[] {
  const columns = new Set(file.subs.flatMap((s) => [...Object.keys(s.values.written), ...s.values.cleared]));
  return file.subs.map((s) => {
    const written = new Set(Object.keys(s.values.written));
    const implied = Object.keys(s.values.expected).filter((k) => !written.has(k));
    // A blank total beside given categories is theirs to add up (implied), not a clear.
    const cleared =
      file.style.format === 'wide' ? [...columns].filter((k) => !written.has(k) && !implied.includes(k)) : [...s.values.cleared];
    return {
      unit: s.unit,
      period: s.period,
      values: s.values.expected,
      ...(implied.length ? { implied } : {}),
      ...(cleared.length ? { cleared } : {}),
    };
  });
}

// ---------------------------------------------------------------------------------------
// Running a plan, and what the ledger must hold
// ---------------------------------------------------------------------------------------

const stats = {
  cases: 0,
  deliveries: 0,
  concurrentSteps: 0,
  largestStep: 0,
  redeliveries: 0,
  outOfOrder: 0,
  crashes: 0,
  superseded: 0,
  corrections: 0,
  /** Accepted versions stating part of what their month held (the rest stays). */
  partialCorrections: 0,
  /** Keys cleared by accepted versions, and of those, keys their month held. */
  clears: 0,
  clearsOfHeld: 0,
  rejected: 0,
  unexpected: 0,
  multi: 0,
  conflictRetries: 0,
  /** Steps delivered as a queue batch of several events, and files those batches wrote together in one transaction. */
  batches: 0,
  writtenTogether: 0,
  /** Files by sender, and files of units of several towns. */
  village: 0,
  town: 0,
  admin: 0,
  multiTown: 0,
  /** Review actions: run in a step that also delivers a file of their unit-month; made (by action); refused. */
  reviews: 0,
  racingReviews: 0,
  approved: 0,
  returned: 0,
  reopened: 0,
  racingDecisions: 0,
  reviewConflicts: 0,
  reviewRefused: 0,
  /** Uploads refused whole (PERIOD_LOCKED), months refused mid-way (locked meanwhile), admin versions into locked months. */
  lockedUploads: 0,
  lockedMidWay: 0,
  adminOverLocks: 0,
  /** Refusals by a delivery that died (or lost a race) before the outcome, counted by a retry after a reopening. */
  refusedThenCounted: 0,
};

/** What the ledger recorded of each finished upload: read once (a finished record no longer changes). */
class Records {
  private readonly read = new Map<number, UploadRecord>();
  constructor(
    private readonly ledger: DynamoLedger,
    private readonly files: readonly FilePlan[],
  ) {}

  async of(i: number): Promise<UploadRecord> {
    const known = this.read.get(i);
    if (known) return known;
    const record = (await this.ledger.getUpload(this.files[i]!.uploadId)) as UploadRecord | undefined;
    expect(record, `${this.files[i]!.uploadId} has a record`).toBeDefined();
    expect(record!.status, `${this.files[i]!.uploadId} finished`).not.toBe('pending');
    this.read.set(i, record!);
    return record!;
  }

  /** These files' accepted versions as the oracle folds them: what each states of the months the ledger counted it in. */
  async accepted(indices: Iterable<number>): Promise<AcceptedUpload[]> {
    const uploads: AcceptedUpload[] = [];
    for (const i of indices) {
      const record = await this.of(i);
      const counted = new Set((record.submissions ?? []).filter((s) => s.state !== 'locked').map((s) => slotOf(s.unit, s.period)));
      const submissions = statementsOf(this.files[i]!).filter((s) => counted.has(slotOf(s.unit, s.period)));
      if (submissions.length) uploads.push({ uploadId: this.files[i]!.uploadId, order: i, submissions });
    }
    return uploads;
  }
}

/** Counts corrections that state part of their month, and clears of what their month held, in upload order. */
function countFolds(uploads: readonly AcceptedUpload[]): void {
  const months = new Map<string, Values>();
  for (const u of [...uploads].sort((a, b) => a.order - b.order)) {
    for (const s of u.submissions) {
      const slot = slotOf(s.unit, s.period);
      const before = months.get(slot);
      const stated = new Set([...Object.keys(s.values), ...(s.cleared ?? [])]);
      if (before && Object.keys(before).some((k) => !stated.has(k))) stats.partialCorrections++;
      stats.clears += s.cleared?.length ?? 0;
      stats.clearsOfHeld += (s.cleared ?? []).filter((k) => before !== undefined && k in before).length;
      months.set(slot, foldStatement(before, s));
    }
  }
}

/** Every town's and the district's month and year rollups equal a recomputation from these accepted versions. */
async function assessRollups(ledger: DynamoLedger, uploads: readonly AcceptedUpload[], when: string): Promise<void> {
  const current = expectedCurrent(uploads);
  for (const { code, town } of ORGS) {
    for (const m of MONTHS)
      expect(cents(await ledger.rollup(code, 'month', m)), `rollup of ${code} ${m} ${when}`).toEqual(
        cents(expectedMonth(current, m, town)),
      );
    expect(cents(await ledger.rollup(code, 'year', YEAR)), `rollup of ${code} ${YEAR} ${when}`).toEqual(
      cents(expectedYear(current, YEAR, town)),
    );
  }
}

/** How one delivery ended: the ingest's result, or the injected crash. */
type Ended = { readonly result: IngestResult } | { readonly crash: CrashError };

/** How a review action ended: the decision made, or why none was. */
type ReviewOutcome = { readonly decided: MonthReview } | { readonly refused: 'REVIEW_CONFLICT' | 'REVIEW_STATE' };

/** A review action as run: the version its reviewer read, and the month's when its step began and ended. */
interface ReviewRun {
  readonly plan: ReviewPlan;
  readonly seen: number;
  readonly atStart: number;
  readonly atEnd: number;
  readonly outcome: ReviewOutcome;
}

/** A decision a reviewer was told was made: what the month's audit trail must hold. */
interface Told {
  readonly unit: string;
  readonly period: string;
  readonly kind: ReviewAction;
  readonly version: number;
  readonly at: string;
}

/** The reviewers' clock: NOW, a millisecond later at every reading (decision times are distinct, in the order read). */
let ticks = 0;
const reviewNow = (): Date => new Date(NOW.getTime() + ++ticks);

const REASONS: Record<ReviewAction, string | undefined> = {
  approve: undefined,
  return: '测试：数据与台账不符，请核对后重报',
  reopen: '测试：重新打开，补报漏报的数据',
};

async function versionOf(reviews: DynamoReviews, slot: { unit: string; period: string }): Promise<number> {
  return (await reviews.month(slot.unit, slot.period)).current?.version ?? 0;
}

/** A town's clerk (or the admin) acting on a month, on the version read. */
async function act(reviews: DynamoReviews, plan: ReviewPlan, version: number): Promise<ReviewOutcome> {
  const by = plan.by === 'admin' ? ({ role: 'admin' } as const) : ({ role: 'town', town: townOf(plan.unit) } as const);
  const reason = REASONS[plan.action];
  const request = { action: plan.action, version, ...(reason ? { reason } : {}) };
  try {
    return { decided: await reviewMonth(by, plan.unit, plan.period, request, { reviews, registry: district, now: reviewNow }) };
  } catch (error) {
    if (error instanceof ReviewError && error.code !== 'REASON_REQUIRED') return { refused: error.code };
    throw error;
  }
}

/**
 * Delivers one step's events and runs its review actions, all at once. A ConflictError is
 * delivered again (as SQS would, at most 3 receives); an injected crash is reported;
 * anything else fails the case.
 */
async function runStep(
  deps: Deps,
  events: readonly ObjectCreated[],
  step: readonly Delivery[],
  actions: readonly { plan: ReviewPlan; seen: number }[],
  reviews: DynamoReviews,
  batched: boolean,
): Promise<{ ended: Ended[]; outcomes: ReviewOutcome[] }> {
  const [settled, outcomes] = await Promise.all([
    deliverStep(deps, events, step, batched),
    Promise.all(actions.map((a) => act(reviews, a.plan, a.seen))),
  ]);
  const ended: Ended[] = [];
  for (const [k, s] of settled.entries()) {
    if (s.status === 'fulfilled') {
      ended.push({ result: s.value });
      continue;
    }
    if (s.reason instanceof CrashError) {
      ended.push({ crash: s.reason });
      continue;
    }
    if (!(s.reason instanceof ConflictError)) throw s.reason;
    let result: IngestResult | undefined;
    for (let receive = 2; !result; receive++) {
      stats.conflictRetries++;
      try {
        result = await deliver(deps, events[step[k]!.file]!);
      } catch (error) {
        if (!(error instanceof ConflictError) || receive >= 3) throw error;
      }
    }
    ended.push({ result });
  }
  return { ended, outcomes };
}

/**
 * Delivers a step's events at once: each alone, or (batched) those that do not crash as one
 * queue batch beside the crashing ones. Settled in the step's order.
 */
async function deliverStep(
  deps: Deps,
  events: readonly ObjectCreated[],
  step: readonly Delivery[],
  batched: boolean,
): Promise<PromiseSettledResult<IngestResult>[]> {
  const alone = (d: Delivery) =>
    deliver(deps, events[d.file]!, d.crash === undefined ? deps.ledger : new CrashingLedger(deps.ledger, d.crash));
  const inBatch = batched ? step.flatMap((d, k) => (d.crash === undefined ? [k] : [])) : [];
  if (inBatch.length < 2) return Promise.allSettled(step.map(alone));
  stats.batches++;
  const counting = new WriteCounter(deps.ledger);
  const [answers, others] = await Promise.all([
    deliverBatch(
      deps,
      inBatch.map((k) => events[step[k]!.file]!),
      counting,
    ),
    Promise.allSettled(step.map((d, k) => (inBatch.includes(k) ? Promise.resolve(undefined) : alone(d)))),
  ]);
  stats.writtenTogether += counting.together;
  return others.map((other, k) => {
    const j = inBatch.indexOf(k);
    if (j < 0) return other as PromiseSettledResult<IngestResult>;
    const answer = answers[j]!;
    return 'result' in answer ? { status: 'fulfilled', value: answer.result } : { status: 'rejected', reason: answer.error };
  });
}

/**
 * A review action's outcome, against the month's versions around it (each read alone,
 * before and after its step). Versions only grow, so:
 * - made: on the version its reviewer read, and no version had come between the read
 *   and its step (the decision itself may still have raced the step's deliveries);
 * - a version came between the read and its step: REVIEW_CONFLICT, whatever the race;
 * - no version came before or during its step, and nothing of its unit was delivered in
 *   it (nor more than 3 actions of its month raced): no REVIEW_CONFLICT.
 */
function assessReviewRun(run: ReviewRun, step: readonly Delivery[], files: readonly FilePlan[], actions: readonly ReviewPlan[]): void {
  const { plan, seen, atStart, atEnd, outcome } = run;
  const what = `${plan.action} of ${plan.unit} ${plan.period} on version ${seen} (read before step ${plan.look}) in step ${plan.step}`;
  const racing = step.some((d) => files[d.file]!.subs.some((s) => s.unit === plan.unit && s.period === plan.period));
  const unitDelivered = step.some((d) => files[d.file]!.subs.some((s) => s.unit === plan.unit));
  const sameMonth = actions.filter((a) => a.unit === plan.unit && a.period === plan.period).length;
  stats.reviews++;
  if (racing) stats.racingReviews++;
  if ('decided' in outcome) {
    expect(atStart, `${what}: made, so nothing changed the month before its step`).toBe(seen);
    expect(outcome.decided.version, what).toBe(seen);
    stats[plan.action === 'approve' ? 'approved' : plan.action === 'return' ? 'returned' : 'reopened']++;
    if (racing) stats.racingDecisions++;
  } else {
    stats[outcome.refused === 'REVIEW_CONFLICT' ? 'reviewConflicts' : 'reviewRefused']++;
  }
  if (atStart !== seen) expect(outcome, `${what}: the month is at version ${atStart}`).toEqual({ refused: 'REVIEW_CONFLICT' });
  if (atStart === seen && atEnd === seen && !unitDelivered && sameMonth <= 3)
    expect(outcome, `${what}: nothing changed the month`).not.toEqual({ refused: 'REVIEW_CONFLICT' });
}

/** Per file: the step of its first delivery, and the step after which its upload was finished. */
interface Timeline {
  readonly started: Map<number, number>;
  readonly done: Map<number, number>;
}

/** Reopens every unit-month of the cases past its lock day, as the admin would before loading past months; the decisions made. */
async function reopenAll(reviews: DynamoReviews): Promise<Told[]> {
  const request = { action: 'reopen' as const, version: 0, reason: '测试：补录过去的月份' };
  const locked = MONTHS.filter((m) => lockOf(m, district.lockDay).getTime() <= NOW.getTime());
  return Promise.all(
    UNITS.flatMap((unit) =>
      locked.map(async (period) => {
        const made = await reviewMonth({ role: 'admin' }, unit, period, request, { reviews, registry: district, now: reviewNow });
        return { unit, period, kind: 'reopen' as const, version: 0, at: made.reviewedAt! };
      }),
    ),
  );
}

/** What a delivery of a file may come to the first time: a village's or a town's file may meet a locked month. */
function firstOutcomes(file: FilePlan): IngestResult['outcome'][] {
  if (file.kind === 'no-intent') return ['unexpected'];
  if (!valid(file)) return ['rejected'];
  return file.sender === 'admin' ? ['accepted'] : ['accepted', 'rejected'];
}

async function runPlan(plan: Plan): Promise<void> {
  const { files, steps } = plan;
  const { ledger, table, drop } = await freshLedger(server, 'prop');
  const store = new MemoryObjectStore();
  const deps: Deps = { store, ledger };
  const reviews = new DynamoReviews(server.client, table);
  try {
    // Villages and towns send past months here: reopened first, or their locks would refuse them.
    const told = await reopenAll(reviews);
    // Prepare: every PUT in order — the intent first (not for an unannounced object), then the object.
    const events: ObjectCreated[] = [];
    for (const file of files) {
      const bytes = fileBytes(file);
      assertModel(file, bytes);
      const { unit, period } = keyOf(file);
      events.push(
        await upload(deps, {
          uploadId: file.uploadId,
          unit,
          period,
          ext: file.style.format === 'json' ? 'json' : 'csv',
          bytes,
          eventTime: file.eventTime,
          sequencer: file.sequencer,
          intent: file.kind !== 'no-intent',
          uploader: senderOf(file).uploader,
        }),
      );
      stats[file.sender]++;
      if (new Set(file.subs.map((s) => townOf(s.unit))).size > 1) stats.multiTown++;
    }

    // Act: the schedule, step by step, each step's review actions on the versions their
    // reviewers read before. After each step in which no upload is left half done (crashed,
    // not yet redelivered), the rollups equal a recomputation from the finished uploads.
    const records = new Records(ledger, files);
    const timeline: Timeline = { started: new Map(), done: new Map() };
    const seen = new Map<ReviewPlan, number>();
    for (const [s, step] of steps.entries()) {
      await Promise.all(plan.reviews.filter((r) => r.look === s).map(async (r) => seen.set(r, await versionOf(reviews, r))));
      const acting = plan.reviews.filter((r) => r.step === s);
      const atStart = await Promise.all(acting.map((r) => versionOf(reviews, r)));
      const { ended, outcomes } = await runStep(
        deps,
        events,
        step,
        acting.map((r) => ({ plan: r, seen: seen.get(r)! })),
        reviews,
        plan.batched,
      );
      const atEnd = await Promise.all(acting.map((r) => versionOf(reviews, r)));
      for (const [k, r] of acting.entries()) {
        const outcome = outcomes[k]!;
        assessReviewRun({ plan: r, seen: seen.get(r)!, atStart: atStart[k]!, atEnd: atEnd[k]!, outcome }, step, files, acting);
        if ('decided' in outcome)
          told.push({ unit: r.unit, period: r.period, kind: r.action, version: seen.get(r)!, at: outcome.decided.reviewedAt! });
      }
      for (const [k, d] of step.entries()) {
        const file = files[d.file]!;
        const end = ended[k]!;
        if ('crash' in end) {
          expect(d.crash, `${file.uploadId} crashed in step ${s} without a fault injected: ${end.crash.message}`).toBeDefined();
          stats.crashes++;
          if (end.crash.finished && !timeline.done.has(d.file)) timeline.done.set(d.file, s);
          continue;
        }
        // A finished upload is a duplicate; an unannounced object is recorded under its key's id, so it is one too.
        const doneBefore = (timeline.done.get(d.file) ?? s) < s;
        const twiceHere = step.filter((o) => o.file === d.file).length > 1;
        const fresh = firstOutcomes(file);
        const allowed = doneBefore ? ['duplicate'] : twiceHere ? [...fresh, 'duplicate'] : fresh;
        expect(allowed, `${file.uploadId} delivered in step ${s}`).toContain(end.result.outcome);
        if (!timeline.done.has(d.file)) timeline.done.set(d.file, s);
      }
      for (const d of step) {
        if (timeline.started.has(d.file)) stats.redeliveries++;
        else {
          timeline.started.set(d.file, s);
          if ([...timeline.started.keys()].some((j) => j > d.file)) stats.outOfOrder++;
        }
      }
      if (step.length > 1) stats.concurrentSteps++;
      stats.largestStep = Math.max(stats.largestStep, step.length);
      stats.deliveries += step.length;
      const halfDone = [...timeline.started.keys()].some((i) => !timeline.done.has(i));
      if (!halfDone) await assessRollups(ledger, await records.accepted(timeline.done.keys()), `after step ${s} ${JSON.stringify(step)}`);
    }
    expect(
      [...timeline.done.keys()].sort((a, b) => a - b),
      'every upload finished',
    ).toEqual([...files.keys()]);

    // Assess: everything the ledger holds, against the oracle; and the months' audit trails.
    await assessLedger(ledger, store, files, timeline, records);
    await assessReviews(reviews, plan, records, told);
  } finally {
    await drop();
  }
}

async function assessLedger(
  ledger: DynamoLedger,
  store: MemoryObjectStore,
  files: readonly FilePlan[],
  timeline: Timeline,
  records: Records,
): Promise<void> {
  const uploads = await records.accepted(files.keys());
  const current = expectedCurrent(uploads);
  countFolds(uploads);

  // Every upload decided as expected, none left pending.
  for (const [i, file] of files.entries()) {
    const record = await records.of(i);
    if (file.kind === 'no-intent') {
      stats.unexpected++;
      expect(record.status).toBe('rejected');
      expect(record.unit).toBe('_unexpected');
      expect(record.errors?.map((e) => e.code)).toEqual(['NO_UPLOAD_INTENT']);
      continue;
    }
    const { unit, period } = keyOf(file);
    if (!valid(file)) {
      stats.rejected++;
      expect(record.status, `${file.uploadId} status`).toBe('rejected');
      expect(record.errors?.map((e) => e.code)).toContain('NOT_A_NUMBER');
      expect(record.submissions).toEqual([]);
      expect(await store.json(reportKey(unit, period, file.uploadId)), `report of ${file.uploadId}`).toMatchObject({
        uploadId: file.uploadId,
        status: 'rejected',
      });
      continue;
    }
    if (file.kind === 'correction') stats.corrections++;
    if (file.kind === 'multi') stats.multi++;
    const slots = file.subs.map((s) => slotOf(s.unit, s.period)).sort();
    const lockedFor = (errors: UploadRecord['errors']) =>
      (errors ?? []).map((e) => {
        expect(e.code, `${file.uploadId}: ${e.message}`).toBe('PERIOD_LOCKED');
        return slotOf(e.unit!, e.period!);
      });
    if (record.status === 'rejected') {
      // Refused whole: a month of it was locked for its village or town; counted nowhere, reported.
      stats.lockedUploads++;
      expect(file.sender, `${file.uploadId}: the admin is not bound by locks`).not.toBe('admin');
      expect(lockedFor(record.errors).length, `${file.uploadId} errors`).toBeGreaterThan(0);
      expect(slots).toEqual(expect.arrayContaining(lockedFor(record.errors)));
      expect(record.submissions).toEqual([]);
      expect(await store.json(reportKey(unit, period, file.uploadId)), `report of ${file.uploadId}`).toMatchObject({
        uploadId: file.uploadId,
        status: 'rejected',
      });
      continue;
    }
    expect(record.status, `${file.uploadId} status`).toBe('accepted');
    // Each month counted, but one locked between the file's check and its write (refused, PERIOD_LOCKED).
    const states = new Map((record.submissions ?? []).map((s) => [slotOf(s.unit, s.period), s.state]));
    expect([...states.keys()].sort(), `${file.uploadId} submissions`).toEqual(slots);
    const locked = [...states].filter(([, state]) => state === 'locked').map(([slot]) => slot);
    stats.lockedMidWay += locked.length;
    if (file.sender === 'admin') expect(locked, `${file.uploadId}: the admin is not bound by locks`).toEqual([]);
    expect(lockedFor(record.errors).sort(), `${file.uploadId} errors`).toEqual(locked.sort());
    // Each counted submission's state: 'superseded' when a later accepted version of that month was finished in an
    // earlier step than this one; 'current' when none had even started; either when they raced.
    const mine = timeline.done.get(i)!;
    for (const s of file.subs) {
      const state = states.get(slotOf(s.unit, s.period));
      if (state === 'locked') continue;
      const later = uploads.filter((u) => u.order > i && u.submissions.some((o) => o.unit === s.unit && o.period === s.period));
      if (state === 'superseded') stats.superseded++;
      if (later.some((u) => timeline.done.get(u.order)! < mine)) expect(state, `${file.uploadId} ${s.unit} ${s.period}`).toBe('superseded');
      else if (later.every((u) => timeline.started.get(u.order)! > mine))
        expect(state, `${file.uploadId} ${s.unit} ${s.period}`).toBe('current');
    }
  }

  // The rollups of every month and of the year.
  await assessRollups(ledger, uploads, 'at the end');

  // Each unit's year (flows summed, stocks at their latest month).
  const unitYears = new Map((await ledger.unitYears(YEAR)).map((y) => [y.unit, cents(y.values)]));
  const expectedYears = new Map([...expectedUnitYears(current, YEAR)].map(([unit, v]) => [unit, cents(v)]));
  expect(Object.fromEntries(unitYears)).toEqual(Object.fromEntries(expectedYears));

  // Each month's current submissions, of each town and of the district: exactly the expected uploads, with their values.
  const numbers = new Map<string, number>();
  for (const m of MONTHS) {
    for (const { code, town } of ORGS) {
      const held = await ledger.currentOfMonth(m, town);
      if (town === undefined) for (const c of held) numbers.set(slotOf(c.unit, m), c.version);
      const want = Object.fromEntries(
        [...current.values()]
          .filter((c) => c.submission.period === m && (town === undefined || townOf(c.submission.unit) === town))
          .map((c) => [c.submission.unit, { uploadId: c.uploadId, values: cents(c.submission.values) }]),
      );
      expect(
        Object.fromEntries(held.map((c) => [c.unit, { uploadId: c.uploadId, values: cents(c.values) }])),
        `current submissions of ${code} ${m}`,
      ).toEqual(want);
    }
  }

  // History: one version per accepted (unit, month, upload), with what that upload stated; nothing else.
  // Versions are numbered 1..n in the order they were written, the month's current one is the n-th, and
  // each upload's record names the version it became.
  const versionIn = new Map<string, number>();
  for (const [i, file] of files.entries())
    for (const s of (await records.of(i)).submissions ?? [])
      if (s.state !== 'locked') versionIn.set(`${file.uploadId}|${slotOf(s.unit, s.period)}`, s.version!);
  for (const unit of UNITS) {
    for (const m of MONTHS) {
      const slot = slotOf(unit, m);
      const history = await ledger.versions(unit, m);
      const statement = (s: { values: Values; cleared?: readonly string[] }) => ({
        values: cents(s.values),
        cleared: [...(s.cleared ?? [])].sort(),
      });
      const byId = (a: { uploadId: string }, b: { uploadId: string }) => (a.uploadId < b.uploadId ? -1 : 1);
      const want = uploads.flatMap((u) =>
        u.submissions.filter((s) => s.unit === unit && s.period === m).map((s) => ({ uploadId: u.uploadId, ...statement(s) })),
      );
      expect(history.map((v) => ({ uploadId: v.uploadId, ...statement(v) })).sort(byId), `history of ${unit} ${m}`).toEqual(
        want.sort(byId),
      );
      expect(
        history.map((v) => v.version).sort((a, b) => a - b),
        `version numbers of ${unit} ${m}`,
      ).toEqual(history.map((_, k) => k + 1));
      expect(numbers.get(slot) ?? 0, `current version of ${unit} ${m}`).toBe(history.length);
      for (const v of history) expect(versionIn.get(`${v.uploadId}|${slot}`), `${v.uploadId}'s version of ${unit} ${m}`).toBe(v.version);
    }
  }
}

/**
 * Every unit-month a case's files or review actions touched, on its audit trail
 * (DynamoReviews.trail). Its versions are numbered in commit order, and its decisions are
 * in commit order by their times (see `inForceAt` in the harness), so:
 * 1. the trail's decisions are exactly those the reviewers were told were made, each at
 *    the version its reviewer read, at a version the history holds (approvals: never 0),
 *    on versions that never go back; the last is the month's review;
 * 2. no version of a village or a town committed while the decision in force (the last
 *    made below its number) locked the month out at its receipt; every admin version that
 *    did is marked overrideLock, and no other: so no approved month changed under a unit;
 * 3. every refusal (PERIOD_LOCKED) met a lock on the read it was decided on (the decision
 *    in force when the version it read committed, or one made at that version), and its
 *    upload is rejected for that month (whole, or only that month when another of its
 *    months was written, by this delivery or one that died mid-way); every upload rejected for the
 *    month has its refusal in the trail; a month refused mid-way (locked between the
 *    file's check and its write) has some decision that locks it.
 */
async function assessReviews(reviews: DynamoReviews, plan: Plan, records: Records, told: readonly Told[]): Promise<void> {
  const slots = new Map<string, { unit: string; period: string }>();
  for (const f of plan.files) for (const s of f.subs) slots.set(slotOf(s.unit, s.period), s);
  for (const r of plan.reviews) slots.set(slotOf(r.unit, r.period), r);
  const fileOf = new Map(plan.files.map((f, i) => [f.uploadId, i]));
  const STATE = { approve: 'approved', return: 'returned', reopen: 'reopened' } as const;
  for (const [slot, { unit, period }] of slots) {
    const trail = await reviews.trail(unit, period);
    const decisions = trail.entries.filter(isDecision).sort((a, b) => a.at.localeCompare(b.at));
    const numbers = trail.versions.map((v) => v.version);
    const at = `${unit} ${period}`;

    // 1. Decisions.
    const mine = told.filter((t) => t.unit === unit && t.period === period).sort((a, b) => a.at.localeCompare(b.at));
    expect(
      decisions.map((d) => ({ kind: d.kind, version: d.version, at: d.at })),
      `decisions of ${at}`,
    ).toEqual(mine.map((t) => ({ kind: t.kind, version: t.version, at: t.at })));
    for (const d of decisions) {
      // Only a reopening may be made on nothing sent (version 0); any other decision is on a version the history holds.
      if (d.kind !== 'reopen') expect(d.version, `${d.kind} of ${at}`).toBeGreaterThan(0);
      if (d.version > 0) expect(numbers, `${d.kind} of ${at} on version ${d.version}`).toContain(d.version);
    }
    expect(
      decisions.map((d) => d.version),
      `versions of the decisions of ${at}`,
    ).toEqual(decisions.map((d) => d.version).sort((a, b) => a - b));
    const last = decisions.at(-1);
    expect(trail.review && { state: trail.review.state, version: trail.review.version, at: trail.review.at }, `review of ${at}`).toEqual(
      last && { state: STATE[last.kind], version: last.version, at: last.at },
    );

    // 2. Versions against the decision in force.
    for (const v of trail.versions) {
      const lock = locksOut(inForceAt(decisions, v.version), period, v.receivedAt, district.lockDay);
      const what = `version ${v.version} of ${at} (${v.uploadId}, ${v.uploader?.role})`;
      if (v.uploader?.role === 'admin') {
        expect(v.overrideLock ?? false, `${what}: marked as written into a locked month`).toBe(lock);
        if (lock) stats.adminOverLocks++;
      } else expect(lock, `${what}: written into a locked month`).toBe(false);
    }

    // 3. Refusals.
    const refused = trail.entries.filter((e) => e.kind === 'refused');
    for (const e of refused) {
      const what = `refusal of ${e.uploadId} in ${at} on version ${e.version}`;
      expect(
        metAt(decisions, e.version).some((d) => locksOut(d, period, e.at, district.lockDay)),
        `${what}: met no lock`,
      ).toBe(true);
      const record = await records.of(fileOf.get(e.uploadId!)!);
      // Rejected whole, unless a delivery that died mid-way had written another of its months:
      // then it is accepted for those, and refused for this one only.
      // A delivery that refused it and died before recording the outcome is retried: if the
      // month was reopened meanwhile, the retry counts it (the trail shows the refused attempt,
      // then the upload's version, written while no lock was in force: step 2 checks that).
      if (record.status === 'accepted' && trail.versions.some((v) => v.uploadId === e.uploadId)) {
        stats.refusedThenCounted++;
        continue;
      }
      const writtenElsewhere = (record.submissions ?? []).some((s) => s.state !== 'locked');
      expect(record.status, what).toBe(writtenElsewhere ? 'accepted' : 'rejected');
      expect(
        record.errors?.some((f) => f.code === 'PERIOD_LOCKED' && slotOf(f.unit!, f.period!) === slot),
        what,
      ).toBe(true);
    }
    for (const [i, f] of plan.files.entries()) {
      if (!f.subs.some((s) => slotOf(s.unit, s.period) === slot) || !valid(f)) continue;
      const record = await records.of(i);
      const lockedHere = record.errors?.some((e) => e.code === 'PERIOD_LOCKED' && slotOf(e.unit!, e.period!) === slot);
      if (record.status === 'rejected' && lockedHere)
        expect(
          refused.map((e) => e.uploadId),
          `refusal of ${f.uploadId} in ${at}`,
        ).toContain(f.uploadId);
      if (record.status === 'accepted' && lockedHere)
        expect(
          decisions.some((d) => locksOut(d, period, record.receivedAt!, district.lockDay)),
          `${f.uploadId} refused in ${at} mid-way`,
        ).toBe(true);
    }
  }
}

describe('ingest: exactly-once rollups on DynamoDB Local', () => {
  it(
    'after any sequence of uploads, duplicates, partial and clearing corrections, rejected files, redelivered, out-of-order and concurrent events, and review actions racing them, the rollups equal a recomputation folding the accepted versions in upload order',
    async () => {
      // The seed is chosen and printed before the run, so that a run stopped by its timeout
      // (fast-check still shrinking) can be replayed too.
      const seed = REPLAY
        ? { seed: Number(process.env.FC_SEED), ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}) }
        : { seed: Date.now() ^ (Math.random() * 0x100000000) };
      if (!REPLAY) console.info(`ingest property: FC_SEED=${seed.seed}`);
      await fc.assert(
        fc.asyncProperty(planArb, async (plan) => {
          stats.cases++;
          await runPlan(plan);
        }),
        // A case takes 1–3 s; one that hangs fails with its seed and path instead of running
        // into the test's timeout unreported.
        // Stopped (shrinking included) well before the test's timeout, it reports its seed, path
        // and the smallest counterexample found so far, instead of a bare timeout.
        {
          numRuns: NUM_RUNS,
          timeout: 60_000,
          interruptAfterTimeLimit: TEST_TIMEOUT_MS - 90_000,
          markInterruptAsFailure: true,
          ...(process.env.FC_END_ON_FAILURE ? { endOnFailure: true } : {}),
          ...seed,
        },
      );
      console.info(`ingest property: ${JSON.stringify(stats)}`);
      // The cases did what the property is about (not when one case is replayed).
      if (!REPLAY && NUM_RUNS >= 20) {
        expect(stats.partialCorrections, 'corrections stating part of a month').toBeGreaterThan(0);
        expect(stats.clearsOfHeld, 'clears of values a month held').toBeGreaterThan(0);
        expect(stats.outOfOrder, 'events processed out of order').toBeGreaterThan(0);
        expect(stats.approved, 'approvals made').toBeGreaterThan(0);
        expect(stats.reviewConflicts, 'actions on a version that changed').toBeGreaterThan(0);
        expect(stats.racingReviews, 'actions racing deliveries of their month').toBeGreaterThan(0);
        expect(stats.writtenTogether, 'files written together by a queue batch').toBeGreaterThan(0);
      }
    },
    TEST_TIMEOUT_MS,
  );
});

// ---------------------------------------------------------------------------------------
// Deterministic examples
// ---------------------------------------------------------------------------------------

async function fresh(label: string): Promise<Deps & { drop(): Promise<void> }> {
  const { ledger, drop } = await freshLedger(server, label);
  return { ledger, store: new MemoryObjectStore(), drop };
}

let exampleUploads = 0;

/** Puts one long-CSV file of these submissions, `seconds` after the first event time. */
function uploadCsv(deps: Deps, subs: readonly Submission[], seconds: number, seq = seconds): Promise<ObjectCreated> {
  const units = new Set(subs.map((s) => s.unit));
  const towns = new Set([...units].map(townOf));
  const periods = new Set(subs.map((s) => s.period));
  return upload(deps, {
    uploadId: `example-${String(++exampleUploads).padStart(4, '0')}`,
    unit: units.size === 1 ? subs[0]!.unit : anyUnitOf(towns.size === 1 ? [...towns][0] : undefined),
    period: periods.size === 1 ? subs[0]!.period : 'unknown',
    ext: 'csv',
    bytes: new TextEncoder().encode(writeSubmissions(subs, { format: 'long', headers: 'code' })),
    eventTime: new Date(FIRST_EVENT_MS + seconds * 1000).toISOString(),
    sequencer: sequencer('long', seq),
  });
}

const uploadIdOf = (event: ObjectCreated): string =>
  event.key
    .split('/')
    .at(-1)!
    .replace(/\.(csv|json)$/, '');

describe('a redelivered event', () => {
  it('counts once, whether it comes again later or twice at the same time', async () => {
    // Prepare: two uploads of March.
    const deps = await fresh('redelivered');
    try {
      const v03 = await uploadCsv(
        deps,
        [{ unit: 'EC/V03', period: '2025-03', values: { general_hazards_found: 3, veteran_aid_yuan: 1200.5 } }],
        1,
      );
      const v04 = await uploadCsv(
        deps,
        [{ unit: 'EC/V04', period: '2025-03', values: { general_hazards_found: 2, veteran_aid_yuan: 0.1 } }],
        2,
      );

      // Act: V03 delivered, then again, then twice at once; V04 twice at once from the start.
      const first = await deliver(deps, v03);
      const again = await deliver(deps, v03);
      const racing = await Promise.all([deliver(deps, v03), deliver(deps, v03), deliver(deps, v04), deliver(deps, v04)]);

      // Assess: one acceptance each, the rest duplicates; March and the year count each file once.
      expect(first.outcome).toBe('accepted');
      expect(again.outcome).toBe('duplicate');
      expect(racing.slice(0, 2).map((r) => r.outcome)).toEqual(['duplicate', 'duplicate']);
      expect(
        racing
          .slice(2)
          .map((r) => r.outcome)
          .sort(),
      ).toContain('accepted');
      const total = { general_hazards_found: 500, veteran_aid_yuan: 120060 };
      expect(cents(await deps.ledger.rollup('EC', 'month', '2025-03'))).toEqual(total);
      expect(cents(await deps.ledger.rollup('EC', 'year', '2025'))).toEqual(total);
      expect((await deps.ledger.versions('EC/V03', '2025-03')).map((v) => v.uploadId)).toEqual([uploadIdOf(v03)]);
      expect((await deps.ledger.versions('EC/V04', '2025-03')).map((v) => v.uploadId)).toEqual([uploadIdOf(v04)]);
      expect((await deps.ledger.getUpload(uploadIdOf(v04)))?.status).toBe('accepted');
    } finally {
      await deps.drop();
    }
  });
});

describe('units of several towns', () => {
  it('counts the same short code of two towns each in its own town, and both in the district', async () => {
    // Prepare: EC/V01 and SH/V01 each write "V01" (their own unit); the admin sends HX/V01 and EC/V02 by division code.
    const deps = await fresh('towns');
    try {
      const csv = (unit: string, values: Record<string, number>) =>
        new TextEncoder().encode(writeSubmissions([{ unit, period: '2025-03', values }], { format: 'long', headers: 'code' }));
      const sent = async (n: number, unit: string, uploader: Uploader, bytes: Uint8Array) =>
        deliver(
          deps,
          await upload(deps, {
            uploadId: `example-towns-${n}`,
            unit,
            period: n === 3 ? 'unknown' : '2025-03',
            ext: 'csv',
            bytes,
            eventTime: new Date(FIRST_EVENT_MS + n * 1000).toISOString(),
            sequencer: sequencer('long', n),
            uploader,
          }),
        );
      const admin = writeSubmissions(
        [
          { unit: '500114112001', period: '2025-03', values: { general_hazards_found: 5 } },
          { unit: '500114110002', period: '2025-03', values: { general_hazards_found: 7 } },
        ],
        { format: 'wide', headers: 'code' },
      );

      // Act
      const results = [
        await sent(1, 'EC/V01', { role: 'village', unit: 'EC/V01' }, csv('V01', { general_hazards_found: 2 })),
        await sent(2, 'SH/V01', { role: 'village', unit: 'SH/V01' }, csv('V01', { general_hazards_found: 3 })),
        await sent(3, 'ALL/ALL', { role: 'admin' }, new TextEncoder().encode(admin)),
      ];

      // Assess
      expect(results.map((r) => r.outcome)).toEqual(['accepted', 'accepted', 'accepted']);
      expect(await deps.ledger.rollup('EC', 'month', '2025-03')).toEqual({ general_hazards_found: 9 });
      expect(await deps.ledger.rollup('SH', 'month', '2025-03')).toEqual({ general_hazards_found: 3 });
      expect(await deps.ledger.rollup('HX', 'month', '2025-03')).toEqual({ general_hazards_found: 5 });
      expect(await deps.ledger.rollup('QJ', 'month', '2025-03')).toEqual({ general_hazards_found: 17 });
      expect(await deps.ledger.rollup('QJ', 'year', '2025')).toEqual({ general_hazards_found: 17 });
      expect((await deps.ledger.currentOfMonth('2025-03', 'EC')).map((c) => c.unit).sort()).toEqual(['EC/V01', 'EC/V02']);
    } finally {
      await deps.drop();
    }
  });
});

describe('a stale event', () => {
  it('never overwrites a newer submission of the same unit and month: the older one is folded in its place', async () => {
    // Prepare: V02's February sent twice; the second (later event time) is the correction.
    const deps = await fresh('stale');
    try {
      const older = await uploadCsv(
        deps,
        [{ unit: 'EC/V02', period: '2025-02', values: { general_hazards_found: 10, legal_literates: 40 } }],
        1,
      );
      const newer = await uploadCsv(deps, [{ unit: 'EC/V02', period: '2025-02', values: { general_hazards_found: 4 } }], 2);

      // Act: the newer event is processed first.
      expect((await deliver(deps, newer)).outcome).toBe('accepted');
      expect((await deliver(deps, older)).outcome).toBe('accepted');

      // Assess: the newer one's value counts; what only the older one stated is kept; the older one is marked superseded.
      expect(cents(await deps.ledger.rollup('EC', 'month', '2025-02'))).toEqual({ general_hazards_found: 400, legal_literates: 4000 });
      expect(cents(await deps.ledger.rollup('EC', 'year', '2025'))).toEqual({ general_hazards_found: 400, legal_literates: 4000 });
      expect((await deps.ledger.currentOfMonth('2025-02')).map((c) => c.uploadId)).toEqual([uploadIdOf(newer)]);
      expect((await deps.ledger.versions('EC/V02', '2025-02')).map((v) => v.uploadId).sort()).toEqual(
        [uploadIdOf(older), uploadIdOf(newer)].sort(),
      );
      expect((await deps.ledger.getUpload(uploadIdOf(older)))?.submissions).toEqual([
        {
          unit: 'EC/V02',
          period: '2025-02',
          state: 'superseded',
          version: 2,
          changes: [
            { key: 'legal_literates', from: null, to: 40 },
            { key: 'general_hazards_found', from: null, to: 10 },
          ],
          unchanged: 0,
        },
      ]);
    } finally {
      await deps.drop();
    }
  });

  it('with the same event time, loses to the upload announced later', async () => {
    // Prepare: two uploads of V05's January in the same second; their ids order them.
    const deps = await fresh('sequencer');
    try {
      const older = await uploadCsv(deps, [{ unit: 'EC/V05', period: '2025-01', values: { emergency_drills: 7 } }], 1, 9);
      const newer = await uploadCsv(deps, [{ unit: 'EC/V05', period: '2025-01', values: { emergency_drills: 2 } }], 1, 10);

      // Act: newer first, then the older.
      await deliver(deps, newer);
      await deliver(deps, older);

      // Assess
      expect(cents(await deps.ledger.rollup('EC', 'month', '2025-01'))).toEqual({ emergency_drills: 200 });
      expect((await deps.ledger.currentOfMonth('2025-01')).map((c) => c.uploadId)).toEqual([uploadIdOf(newer)]);
    } finally {
      await deps.drop();
    }
  });
});

describe('a correction', () => {
  it('changes only what it states: the month and the year follow, a cleared stock value falls back to an earlier month', async () => {
    // Prepare: V01's January and February, a stock metric in both; then January corrected
    // in two values, and February corrected in one flow, with its stock value cleared.
    const deps = await fresh('correction');
    try {
      const jan = await uploadCsv(
        deps,
        [{ unit: 'EC/V01', period: '2025-01', values: { general_hazards_found: 5, veteran_aid_yuan: 100.5, legal_literates: 30 } }],
        1,
      );
      const feb = await uploadCsv(
        deps,
        [{ unit: 'EC/V01', period: '2025-02', values: { general_hazards_found: 2, legal_literates: 31 } }],
        2,
      );
      const other = await uploadCsv(
        deps,
        [{ unit: 'EC/V06', period: '2025-01', values: { general_hazards_found: 1, legal_literates: 12 } }],
        3,
      );
      const janFixed = await uploadCsv(
        deps,
        [{ unit: 'EC/V01', period: '2025-01', values: { major_hazards_found: 1, legal_literates: 28 } }],
        4,
      );
      const febFixed = await uploadCsv(
        deps,
        [{ unit: 'EC/V01', period: '2025-02', values: { general_hazards_found: 3 }, cleared: ['legal_literates'] }],
        5,
      );

      // Act
      for (const e of [jan, feb, other]) await deliver(deps, e);
      await deliver(deps, janFixed);
      const afterJanuary = {
        month: cents(await deps.ledger.rollup('EC', 'month', '2025-01')),
        year: cents(await deps.ledger.rollup('EC', 'year', '2025')),
      };
      await deliver(deps, febFixed);

      // Assess: January keeps what its correction did not state (its flows and money).
      expect(afterJanuary.month).toEqual({
        general_hazards_found: 600,
        major_hazards_found: 100,
        veteran_aid_yuan: 10050,
        legal_literates: 4000,
      });
      // Year: flows summed; legal_literates is each unit's latest month (V01: February's 31, V06: 12).
      expect(afterJanuary.year).toEqual({
        general_hazards_found: 800,
        major_hazards_found: 100,
        veteran_aid_yuan: 10050,
        legal_literates: 4300,
      });
      // After February's correction (its stock value cleared), V01's latest legal_literates is January's 28.
      expect(cents(await deps.ledger.rollup('EC', 'month', '2025-02'))).toEqual({ general_hazards_found: 300 });
      expect(cents(await deps.ledger.rollup('EC', 'year', '2025'))).toEqual({
        general_hazards_found: 900,
        major_hazards_found: 100,
        veteran_aid_yuan: 10050,
        legal_literates: 4000,
      });
      const v01 = (await deps.ledger.unitYears('2025')).find((y) => y.unit === 'EC/V01');
      expect(cents(v01!.values)).toEqual({
        general_hazards_found: 800,
        major_hazards_found: 100,
        veteran_aid_yuan: 10050,
        legal_literates: 2800,
      });
      expect((await deps.ledger.versions('EC/V01', '2025-01')).map((v) => v.changes)).toEqual([
        [
          { key: 'legal_literates', from: null, to: 30 },
          { key: 'general_hazards_found', from: null, to: 5 },
          { key: 'veteran_aid_yuan', from: null, to: 100.5 },
        ],
        [
          { key: 'legal_literates', from: 30, to: 28 },
          { key: 'major_hazards_found', from: null, to: 1 },
        ],
      ]);
    } finally {
      await deps.drop();
    }
  });
});

describe('a crash mid-way through a file', () => {
  it('counts each submission once when the event is delivered again', async () => {
    // Prepare: a wide CSV with V03's January and February.
    const deps = await fresh('crash');
    try {
      const both = await upload(deps, {
        uploadId: 'example-crash-0001',
        unit: 'EC/V03',
        period: 'unknown',
        ext: 'csv',
        bytes: new TextEncoder().encode(
          writeSubmissions(
            [
              { unit: 'EC/V03', period: '2025-01', values: { general_hazards_found: 4, veteran_aid_yuan: 10.25 } },
              { unit: 'EC/V03', period: '2025-02', values: { general_hazards_found: 6 } },
            ],
            { format: 'wide', headers: 'code' },
          ),
        ),
        eventTime: new Date(FIRST_EVENT_MS).toISOString(),
        sequencer: sequencer('long', 0),
      });

      // Act: the first delivery dies after January is written; SQS delivers the event again.
      await expect(deliver(deps, both, new CrashingLedger(deps.ledger, 1))).rejects.toBeInstanceOf(CrashError);
      const halfway = cents(await deps.ledger.rollup('EC', 'year', '2025'));
      const again = await deliver(deps, both);

      // Assess: half counted after the crash; after the redelivery each month once.
      expect(halfway).toEqual({ general_hazards_found: 400, veteran_aid_yuan: 1025 });
      expect(again.outcome).toBe('accepted');
      expect(cents(await deps.ledger.rollup('EC', 'month', '2025-01'))).toEqual({ general_hazards_found: 400, veteran_aid_yuan: 1025 });
      expect(cents(await deps.ledger.rollup('EC', 'month', '2025-02'))).toEqual({ general_hazards_found: 600 });
      expect(cents(await deps.ledger.rollup('EC', 'year', '2025'))).toEqual({ general_hazards_found: 1000, veteran_aid_yuan: 1025 });
      expect((await deps.ledger.versions('EC/V03', '2025-01')).length).toBe(1);
      expect((await deps.ledger.getUpload('example-crash-0001'))?.submissions).toEqual([
        expect.objectContaining({ unit: 'EC/V03', period: '2025-01', state: 'current', version: 1 }),
        expect.objectContaining({ unit: 'EC/V03', period: '2025-02', state: 'current', version: 1 }),
      ]);
      // The change list of the month written before the crash is the one its history keeps.
      const [january] = (await deps.ledger.getUpload('example-crash-0001'))!.submissions!;
      expect(january!.changes).toEqual((await deps.ledger.versions('EC/V03', '2025-01'))[0]!.changes);
    } finally {
      await deps.drop();
    }
  });
});

// ---------------------------------------------------------------------------------------
// Regressions: defects this property test found (all fixed).
// ---------------------------------------------------------------------------------------

describe('timeliness of a month corrected out of order', () => {
  // Was: firstReceivedAt was lowered only when an upload replaced the current one; a stale
  // (older) upload processed later left the month looking late. The stale path lowers it now.
  it('judges the month by the earliest accepted upload, whatever order the events are processed in', async () => {
    // Prepare: V08's February sent on time (1 March), then corrected late (20 March; due 5 March).
    const deps = await fresh('timeliness');
    try {
      const onTime = await upload(deps, {
        uploadId: 'example-late-0001',
        unit: 'EC/V08',
        period: '2025-02',
        ext: 'csv',
        bytes: csvBytes('EC/V08', '2025-02', { general_hazards_found: 1 }),
        eventTime: '2025-03-01T00:00:00.000Z',
        sequencer: sequencer('long', 0),
      });
      const late = await upload(deps, {
        uploadId: 'example-late-0002',
        unit: 'EC/V08',
        period: '2025-02',
        ext: 'csv',
        bytes: csvBytes('EC/V08', '2025-02', { general_hazards_found: 2 }),
        eventTime: '2025-03-20T00:00:00.000Z',
        sequencer: sequencer('long', 1),
      });

      // Act: the correction's event is processed first.
      await deliver(deps, late);
      await deliver(deps, onTime);

      // Assess: the correction counts, and the month was first sent on 1 March (in order, it is).
      const [current] = await deps.ledger.currentOfMonth('2025-02');
      expect(current?.uploadId).toBe('example-late-0002');
      expect(current?.firstReceivedAt).toBe('2025-03-01T00:00:00.000Z');
    } finally {
      await deps.drop();
    }
  });
});

describe("a unit's state read while a correction of an earlier month commits", () => {
  // Was (real DynamoDB only): one Query reads the unit's MONTH# and YEAR# items, isolated
  // per item (read-committed), not as a snapshot; a transaction committing in between was
  // seen half and the year computed from old months passed the rev guard. The write now
  // checks that the year's other months are as read. DynamoDB Local serialises requests,
  // so the torn read is injected here.
  it('still leaves the year equal to a recomputation from the current months', async () => {
    // Prepare: V07's January (10 legal literates, a stock) counts; a correction of January
    // (20) and March (15) are uploaded.
    const deps = await fresh('torn');
    try {
      const january = await uploadCsv(deps, [{ unit: 'EC/V07', period: '2025-01', values: { legal_literates: 10 } }], 1);
      const januaryFixed = await uploadCsv(deps, [{ unit: 'EC/V07', period: '2025-01', values: { legal_literates: 20 } }], 2);
      const march = await uploadCsv(deps, [{ unit: 'EC/V07', period: '2025-03', values: { legal_literates: 15 } }], 3);
      await deliver(deps, january);

      // Act: March is processed; its read of V07 sees January before the correction and the year after it.
      await deliver(deps, march, new TornReadLedger(deps.ledger, () => deliver(deps, januaryFixed)));

      // Assess: V07's latest month is March: the year holds 15 legal literates (today: 25).
      expect(cents(await deps.ledger.rollup('EC', 'year', '2025'))).toEqual({ legal_literates: 1500 });
      expect(cents((await deps.ledger.unitYears('2025'))[0]!.values)).toEqual({ legal_literates: 1500 });
    } finally {
      await deps.drop();
    }
  });
});

describe('a file whose delivery died mid-way, a month of it approved before the event came again', () => {
  // Was: the redelivery found a month locked and refused the whole file (rejected, counted
  // nowhere), while the month the dead delivery had written stayed counted; and a month
  // written in its place (an older upload) read as locked. Now the written months are
  // recognised first, and only the locked one is refused.
  it('counts what the dead delivery wrote, and refuses only the month approved meanwhile', async () => {
    // Prepare: the town sends V02's March (P), then a file of V01 and V02 (F), then V01's
    // March again (L). L is processed first; F's delivery writes V01 (folded before L) and dies.
    const { ledger, table, drop } = await freshLedger(server, 'crash-lock');
    const deps: Deps = { ledger, store: new MemoryObjectStore() };
    const reviews = new DynamoReviews(server.client, table);
    const town: Uploader = { role: 'town', town: 'EC' };
    try {
      const send = (n: number, unit: string, subs: readonly Submission[]) =>
        upload(deps, {
          uploadId: `example-crash-lock-${n}`,
          unit,
          period: '2025-03',
          ext: 'csv',
          bytes: new TextEncoder().encode(writeSubmissions(subs, { format: 'wide', headers: 'code' })),
          eventTime: new Date(FIRST_EVENT_MS + n * 60_000).toISOString(),
          sequencer: sequencer('long', n),
          uploader: town,
        });
      const p = await send(1, 'EC/V02', [{ unit: 'V02', period: '2025-03', values: { general_hazards_found: 1 } }]);
      const f = await send(2, anyUnitOf('EC'), [
        { unit: 'V01', period: '2025-03', values: { general_hazards_found: 5 } },
        { unit: 'V02', period: '2025-03', values: { general_hazards_found: 7 } },
      ]);
      const l = await send(3, 'EC/V01', [{ unit: 'V01', period: '2025-03', values: { major_hazards_found: 2 } }]);
      await deliver(deps, p);
      await deliver(deps, l);
      await expect(deliver(deps, f, new CrashingLedger(ledger, 1))).rejects.toBeInstanceOf(CrashError);
      const clerk = { reviews, registry: district, now };
      await reviewMonth(town, 'EC/V01', '2025-03', { action: 'approve', version: 2 }, clerk);
      await reviewMonth(town, 'EC/V02', '2025-03', { action: 'approve', version: 1 }, clerk);

      // Act: the event comes again.
      const again = await deliver(deps, f);

      // Assess: F counts for V01 (before L), and is refused for V02 alone; the rollups say so.
      expect(again.outcome).toBe('accepted');
      const record = await ledger.getUpload('example-crash-lock-2');
      expect(record?.submissions?.map((s) => [s.unit, s.state, s.version])).toEqual([
        ['EC/V01', 'superseded', 2],
        ['EC/V02', 'locked', undefined],
      ]);
      expect(record?.errors?.map((e) => [e.code, e.unit])).toEqual([['PERIOD_LOCKED', 'EC/V02']]);
      expect(cents(await ledger.rollup('EC', 'month', '2025-03'))).toEqual({ general_hazards_found: 600, major_hazards_found: 200 });
      expect((await ledger.versions('EC/V01', '2025-03')).map((v) => v.uploadId)).toEqual(['example-crash-lock-2', 'example-crash-lock-3']);
      expect((await ledger.versions('EC/V02', '2025-03')).map((v) => v.uploadId)).toEqual(['example-crash-lock-1']);
      // The refusal is on V02's trail, though the upload as a whole is accepted.
      const trail = await reviews.trail('EC/V02', '2025-03');
      expect(trail.entries.filter((e) => e.kind === 'refused').map((e) => e.uploadId)).toEqual(['example-crash-lock-2']);
    } finally {
      await drop();
    }
  });
});

describe('a delivery whose month another delivery of the same upload wrote first', () => {
  // Was: a write that found the upload's version already in the history (written by another
  // delivery, which then died) kept the version number it had planned on its stale read, and
  // the file's next month finished the upload with that number, not the one the history holds.
  it("records the month's version as the history numbers it", async () => {
    // Prepare: V03's January (X), then a file of V03's January and February (F).
    const deps = await fresh('written-by-other');
    try {
      const x = await uploadCsv(deps, [{ unit: 'EC/V03', period: '2025-01', values: { general_hazards_found: 1 } }], 1);
      const f = await uploadCsv(
        deps,
        [
          { unit: 'EC/V03', period: '2025-01', values: { general_hazards_found: 4 } },
          { unit: 'EC/V03', period: '2025-02', values: { general_hazards_found: 6 } },
        ],
        2,
      );
      // A delivery of F that has read V03 (January empty) and is about to write January: meanwhile
      // X is counted, and a second delivery of F writes January after it (version 2) and dies.
      let raced = false;
      const racing = new Proxy(deps.ledger, {
        get(target, name, receiver) {
          const own = Reflect.get(target, name, receiver);
          if (name !== 'apply') return typeof own === 'function' ? own.bind(target) : own;
          return async (...args: Parameters<DynamoLedger['apply']>) => {
            if (!raced) {
              raced = true;
              await deliver(deps, x);
              await expect(deliver(deps, f, new CrashingLedger(deps.ledger, 1))).rejects.toBeInstanceOf(CrashError);
            }
            return target.apply(...args);
          };
        },
      });

      // Act: the first delivery goes on.
      const result = await deliver(deps, f, racing);

      // Assess: F is accepted once; its record names January's version 2, as the history does.
      expect(result.outcome).toBe('accepted');
      const january = await deps.ledger.versions('EC/V03', '2025-01');
      expect(january.map((v) => [v.uploadId, v.version])).toEqual([
        [uploadIdOf(x), 1],
        [uploadIdOf(f), 2],
      ]);
      expect((await deps.ledger.getUpload(uploadIdOf(f)))?.submissions?.map((s) => [s.period, s.state, s.version])).toEqual([
        ['2025-01', 'current', 2],
        ['2025-02', 'current', 1],
      ]);
      expect(cents(await deps.ledger.rollup('EC', 'year', '2025'))).toEqual({ general_hazards_found: 1000 });
    } finally {
      await deps.drop();
    }
  });
});

function csvBytes(unit: string, period: string, values: Record<string, number>): Uint8Array {
  return new TextEncoder().encode(writeSubmissions([{ unit, period, values }], { format: 'long', headers: 'code' }));
}
