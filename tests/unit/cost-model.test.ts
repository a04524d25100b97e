/**
 * The cost model (scripts/cost): its scaling, its sums, that it reads the wiring and the
 * measured figures it is given, the dated price table of both regions, and the tables it prints.
 */
import { describe, expect, it } from 'vitest';
import { WIRING } from '../../infra/wiring.ts';
import { deploymentOf, type Wiring } from '../../scripts/cost/deployment.ts';
import { markdownTable, money } from '../../scripts/cost/format.ts';
import { readMeasured } from '../../scripts/cost/measured-file.ts';
import { estimate, LINES, type ModelInput } from '../../scripts/cost/model.ts';
import { FREE_TIER, PRICE_TABLES, type PriceTable } from '../../scripts/cost/prices.ts';
import type { Measured } from '../../scripts/cost/usage.ts';
import { WORKLOAD } from '../../scripts/cost/workload.ts';

const measured = readMeasured();
const input = (overrides: Partial<ModelInput> = {}): ModelInput => ({
  measured,
  workload: WORKLOAD,
  deployment: deploymentOf(WIRING),
  ...overrides,
});
const table = (region: string): PriceTable => PRICE_TABLES.find((t) => t.region === region)!;
const commercial = table('us-east-1');
const china = table('cn-northwest-1');

describe('estimate', () => {
  it('sums one town’s lines to its total, in every region', () => {
    for (const prices of PRICE_TABLES) {
      // Act
      const one = estimate(input(), prices, 1);
      // Assess
      const sum = Object.values(one.lines).reduce((a, b) => a + b, 0);
      expect(one.total).toBeCloseTo(sum, 10);
      expect(Object.keys(one.lines)).toEqual(Object.keys(LINES));
    }
  });

  it('grows DynamoDB and mail in proportion to the towns, and keeps the scheduler and alarms fixed', () => {
    // Act
    const [one, district, province] = [1, 30, 10_000].map((towns) => estimate(input(), commercial, towns));
    // Assess
    expect(district!.lines.DynamoDB).toBeCloseTo(30 * one!.lines.DynamoDB, 9);
    expect(province!.lines.mail).toBeCloseTo(10_000 * one!.lines.mail, 6);
    expect(province!.quantities.schedulerPerMillion).toBe(one!.quantities.schedulerPerMillion);
    expect(province!.quantities.alarmMonth).toBe(one!.quantities.alarmMonth);
    expect(one!.total).toBeLessThan(district!.total);
    expect(district!.total).toBeLessThan(province!.total);
  });

  it('charges Lambda by the memory the wiring gives: doubling the ingest’s raises the GB-s line', () => {
    // Prepare
    const wiring: Wiring = { ...WIRING, ingest: { ...WIRING.ingest, memoryMb: 2 * WIRING.ingest.memoryMb } };
    // Act
    const wired = estimate(input(), commercial, 30);
    const doubled = estimate(input({ deployment: deploymentOf(wiring) }), commercial, 30);
    // Assess
    expect(deploymentOf(WIRING).memoryMb.ingest).toBe(WIRING.ingest.memoryMb);
    expect(doubled.lines['Lambda GB-s']).toBeGreaterThan(wired.lines['Lambda GB-s']);
    expect(doubled.lines.DynamoDB).toBe(wired.lines.DynamoDB);
  });

  it('uses the measured request units: doubling an accepted file’s WRU raises DynamoDB', () => {
    // Prepare
    const accepted = measured.scenarios.ingestAccepted;
    const heavier: Measured = {
      ...measured,
      scenarios: {
        ...measured.scenarios,
        ingestAccepted: { ...accepted, dynamodb: { ...accepted.dynamodb, wru: 2 * accepted.dynamodb.wru } },
      },
    };
    // Act
    const before = estimate(input(), commercial, 30);
    const after = estimate(input({ measured: heavier }), commercial, 30);
    // Assess
    expect(after.quantities.dynamoWruPerMillion).toBeGreaterThan(before.quantities.dynamoWruPerMillion);
    expect(after.lines.DynamoDB).toBeGreaterThan(before.lines.DynamoDB);
  });

  it('bills no mail in China (SMTP, no SES) but one more secret (the SMTP password)', () => {
    // Act
    const us = estimate(input(), commercial, 30);
    const cn = estimate(input(), china, 30);
    // Assess
    expect(us.lines.mail).toBeGreaterThan(0);
    expect(cn.lines.mail).toBe(0);
    expect(cn.quantities.secretMonth).toBe(us.quantities.secretMonth + 1);
  });

  it('subtracts the free tier only when asked, and never below zero', () => {
    // Act
    const full = estimate(input(), commercial, 1);
    const free = estimate(input(), commercial, 1, FREE_TIER['us-east-1']);
    // Assess
    expect(free.total).toBeLessThan(full.total);
    expect(free.lines.Scheduler).toBe(0);
    for (const cost of Object.values(free.lines)) expect(cost).toBeGreaterThanOrEqual(0);
  });
});

describe('deploymentOf', () => {
  it('counts the alarms the CDK app makes and the scheduler’s firings in a month from the wiring', () => {
    // Act
    const deployment = deploymentOf(WIRING);
    // Assess: 2 per function, 2 for the ingest queue, 1 per schedule (remind, publish, reconcile).
    expect(deployment.alarms).toBe(2 * Object.keys(WIRING).length + 2 + 3 + 1);
    expect(deployment.scheduled).toEqual({ remind: 1, publish: 1, reconcile: 30 });
    expect(deployment.dashboards).toBe(1);
  });
});

describe('PRICE_TABLES', () => {
  it('is dated and has a commercial (USD) and a China (CNY) region, every price with an https source', () => {
    // Assess
    expect(PRICE_TABLES.map((t) => [t.region, t.currency])).toEqual([
      ['us-east-1', 'USD'],
      ['cn-northwest-1', 'CNY'],
    ]);
    for (const t of PRICE_TABLES) {
      expect(t.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(Number.isNaN(Date.parse(t.asOf))).toBe(false);
      for (const price of Object.values(t.prices)) {
        expect(price.source).toMatch(/^https:\/\//);
        expect(price.value).toBeGreaterThanOrEqual(0);
        if (price.basis === 'estimate') expect(price.note).toBeTruthy();
      }
    }
  });
});

describe('markdownTable', () => {
  it('pads every row to the same width, labels left and figures right', () => {
    // Act
    const lines = markdownTable(
      ['line', 'cost'],
      [
        ['DynamoDB', money(19.6)],
        ['SQS', money(0.259)],
      ],
    );
    // Assess
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
    expect(lines[1]).toMatch(/^\|:-+\|-+:\|$/);
    expect(lines[2]).toBe('| DynamoDB | 19.60 |');
    expect(lines[3]).toBe('| SQS      | 0.259 |');
  });
});
