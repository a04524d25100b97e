/**
 * Review in the summaries on the run's stack (docs/DOMAIN.md#review): EC/V01 and EC/V02
 * send March through the pipeline and the town approves V01. The published summaries (the
 * town's and the district's) say one unit-month is approved, as of their publication; the
 * API's `?approved=only` sums V01's figures alone, live; a later approval makes no new
 * revision and moves the approved-only figures at once; a correction since an approval
 * takes the unit-month out of them.
 *
 * Units and months of this file: EC/V01, EC/V02 in 2009 (no other test uses 2009).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoSummaries } from '../../shared/adapters/dynamodb-summaries.ts';
import type { Principal } from '../../shared/auth/principals.ts';
import { publish, type PublishDeps } from '../../shared/publish/publish.ts';
import { reviewMonth } from '../../shared/review/act.ts';
import { sum } from '../../shared/rollup.ts';
import { call, tokenFor } from '../support/api.ts';
import { district as registry } from '../support/district.ts';
import { allKeys, uploadThroughStack } from '../support/publish-harness.ts';
import { connectStack, longCsv, STACK_NOW, type StackHandle } from '../support/stack.ts';

const MONTH = '2009-03';
const TOWN_EC: Principal = { role: 'town', town: 'EC' };
const V01 = { general_hazards_found: 4, hazards_rectified: 3, veteran_aid_yuan: 100.05, legal_literates: 5 };
const V02 = { general_hazards_found: 6, veteran_aid_yuan: 0.1, legal_literates: 2 };
const EC = registry.org('EC')!;
const QJ = registry.org('QJ')!;

interface SummaryJson {
  readonly org: string;
  readonly revision?: number;
  readonly publishedAt?: string;
  readonly reviewAsOf?: string;
  readonly basis?: string;
  readonly totals: Record<string, number>;
  readonly units: Record<string, Record<string, number>>;
  readonly completeness: { expected: number; submitted: number; approved: number };
  readonly review?: Record<string, string>;
  readonly leftOut?: string[];
  readonly towns?: Record<string, { totals: Record<string, number>; completeness: { approved: number } }>;
}

let stack: StackHandle;
let districtToken: string;
let deps: PublishDeps;

const approve = (unit: string) =>
  reviewMonth(
    TOWN_EC,
    unit,
    MONTH,
    { action: 'approve', version: 1 },
    { reviews: stack.reviews, registry, now: () => new Date(STACK_NOW) },
  );
const get = (path: string) => call<SummaryJson>(path, { token: districtToken });

beforeAll(async () => {
  // Prepare: both units' March through the pipeline; the town approves V01; EC and QJ published.
  stack = connectStack();
  districtToken = await tokenFor(stack, { role: 'district' });
  const files = [
    { unit: 'EC/V01', values: V01 },
    { unit: 'EC/V02', values: V02 },
  ].map((f) => ({ unit: f.unit, period: MONTH, ext: 'csv' as const, body: longCsv(f.unit, MONTH, f.values) }));
  const sent = await uploadThroughStack(stack, files);
  expect([...sent.statuses.values()]).toEqual(['accepted', 'accepted']);
  expect((await approve('EC/V01')).state).toBe('approved');
  const archive = new DynamoSummaries(stack.dynamodb, stack.table, stack.store);
  deps = { reader: stack.ledger, archive, store: stack.store, registry, now: () => new Date(STACK_NOW) };
  for (const org of [EC, QJ]) expect((await publish('monthly', MONTH, deps, org)).revision).toBe(1);
}, 120_000);

afterAll(() => stack?.close());

describe('the published summaries with review', () => {
  it('say how many unit-months are approved, per unit and in total, as of their publication', async () => {
    // Act
    const town = await get(`/v1/orgs/EC/summaries/monthly/${MONTH}`);
    const qj = await get(`/v1/orgs/QJ/summaries/monthly/${MONTH}`);

    // Assess
    expect(town.status).toBe(200);
    expect(town.json.completeness).toMatchObject({ expected: 9, submitted: 2, approved: 1 });
    expect(town.json.review).toMatchObject({ V01: 'approved', V02: 'submitted', V03: 'missing' });
    expect(town.json.reviewAsOf).toBe(town.json.publishedAt);
    expect(qj.json.completeness).toMatchObject({ submitted: 2, approved: 1 });
    expect(qj.json.towns!['EC']!.completeness.approved).toBe(1);
    expect(qj.json.towns!['SH']!.completeness.approved).toBe(0);
  });
});

describe('GET …/summaries/{kind}/{period}?approved=only on the stack', () => {
  it("gives a town's and the district's month as exactly the approved unit's values", async () => {
    // Act
    const town = await get(`/v1/orgs/EC/summaries/monthly/${MONTH}?approved=only`);
    const qj = await get(`/v1/orgs/QJ/summaries/monthly/${MONTH}?approved=only`);

    // Assess
    expect(town.status).toBe(200);
    expect(town.json).toMatchObject({ org: 'EC', basis: 'approved', units: { V01: V01 } });
    expect(town.json.revision).toBeUndefined();
    expect(town.json.totals).toEqual(allKeys(V01));
    expect(town.json.completeness).toMatchObject({ submitted: 2, approved: 1 });
    expect(town.json.leftOut).toEqual(['V02', 'V03', 'V04', 'V05', 'V06', 'V07', 'V08', 'TOWN']);
    expect(qj.json.totals).toEqual(allKeys(V01));
    expect(qj.json.towns!['EC']!.totals).toEqual(allKeys(V01));
    expect(qj.json.leftOut).toContain('EC/V02');
  });

  it('gives the year from the approved months alone, and its CSV says so', async () => {
    // Act
    const year = await get('/v1/orgs/EC/summaries/annual/2009?approved=only');
    const csv = await call('/v1/orgs/EC/summaries/annual/2009?approved=only&format=csv', { token: districtToken });

    // Assess
    expect(year.status).toBe(200);
    expect(year.json.totals).toEqual(allKeys(V01));
    expect(year.json.completeness).toMatchObject({ expected: 12 * 9, submitted: 2, approved: 1 });
    expect(csv.status).toBe(200);
    expect(csv.text.split('\r\n').find((l) => l.startsWith('指标代码'))).toContain('全镇合计（仅已审核）');
    expect(csv.text).toMatch(/^veteran_aid_yuan,[^\r\n]*,100\.05,100\.05,*\r$/m);
  });

  it('follows a later approval at once, which makes no new revision', async () => {
    // Act: the town approves V02 after the publication; the publisher runs again.
    await approve('EC/V02');
    const again = await publish('monthly', MONTH, deps, EC);
    const live = await get(`/v1/orgs/EC/summaries/monthly/${MONTH}?approved=only`);
    const stored = await get(`/v1/orgs/EC/summaries/monthly/${MONTH}`);

    // Assess
    expect(again).toMatchObject({ revision: 1, published: false });
    expect(live.json.totals).toEqual(allKeys(sum([V01, V02])));
    expect(live.json.completeness.approved).toBe(2);
    expect(live.json.leftOut).not.toContain('V02');
    expect(stored.json).toMatchObject({ revision: 1, completeness: { approved: 1 } });
  });

  it('leaves out a unit-month corrected since its approval, and a correction that changes no figure makes no revision', async () => {
    // Act: the admin sends V01's March again, the same figures (version 2: the approval was of version 1).
    const sent = await uploadThroughStack(stack, [{ unit: 'EC/V01', period: MONTH, ext: 'csv', body: longCsv('EC/V01', MONTH, V01) }]);
    const again = await publish('monthly', MONTH, deps, EC);
    const live = await get(`/v1/orgs/EC/summaries/monthly/${MONTH}?approved=only`);

    // Assess: counted (the rollup's version moved), the same figures, so revision 1 stays.
    expect([...sent.statuses.values()]).toEqual(['accepted']);
    expect(again).toMatchObject({ revision: 1, published: false });
    expect(live.json.review).toMatchObject({ V01: 'submitted', V02: 'approved' });
    expect(live.json.totals).toEqual(allKeys(V02));
    expect(live.json.leftOut).toContain('V01');
  });
});
