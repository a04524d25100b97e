/**
 * The committed measurement that `npm run cost` reads (scripts/cost/measured.json) agrees
 * with a fresh one: the same scenarios, the same requests by operation, request units and
 * bytes within 10 %. The fresh one runs on a stack of its own, in a child process (~20 s),
 * not on the run's shared stack: its figures must not depend on what other tests wrote.
 */
import { describe, expect, it } from 'vitest';
import { measureInChild } from '../../scripts/cost/measure.ts';
import { readMeasured } from '../../scripts/cost/measured-file.ts';
import type { ScenarioName, Usage } from '../../scripts/cost/usage.ts';

const within = (actual: number, expected: number, tolerance = 0.1) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.max(1, Math.abs(expected) * tolerance));

function expectSameUsage(fresh: Usage, committed: Usage): void {
  expect(Object.keys(fresh.invocations).sort()).toEqual(Object.keys(committed.invocations).sort());
  for (const [name, calls] of Object.entries(fresh.invocations)) {
    expect(calls.count).toBe(committed.invocations[name as keyof Usage['invocations']]!.count);
    expect(calls.ms).toBeGreaterThan(0);
  }
  expect(fresh.dynamodb.requests).toEqual(committed.dynamodb.requests);
  expect(fresh.s3.requests).toEqual(committed.s3.requests);
  expect(fresh.sqsMessages).toBe(committed.sqsMessages);
  expect(fresh.mailRecipients).toBe(committed.mailRecipients);
  expect(fresh.robotNotices).toBe(committed.robotNotices);
  within(fresh.dynamodb.rru, committed.dynamodb.rru);
  within(fresh.dynamodb.wru, committed.dynamodb.wru);
  within(fresh.s3.putBytes, committed.s3.putBytes);
  within(fresh.logBytes, committed.logBytes);
  within(fresh.mailBytes, committed.mailBytes);
}

describe('scripts/cost/measured.json', () => {
  it('matches a fresh measurement of every scenario on the local stack', { timeout: 180_000 }, () => {
    // Prepare
    const committed = readMeasured();
    // Act
    const fresh = measureInChild();
    // Assess
    expect(Object.keys(fresh.scenarios).sort()).toEqual(Object.keys(committed.scenarios).sort());
    expect(fresh.registry).toEqual(committed.registry);
    expect(fresh.incomingObjects).toBe(committed.incomingObjects);
    expect(fresh.fileBytes).toBe(committed.fileBytes);
    expect(fresh.customMetrics).toEqual(committed.customMetrics);
    within(fresh.tableBytes.perAcceptedFile, committed.tableBytes.perAcceptedFile);
    within(fresh.tableBytes.perPublication, committed.tableBytes.perPublication);
    for (const name of Object.keys(committed.scenarios) as ScenarioName[])
      expectSameUsage(fresh.scenarios[name], committed.scenarios[name]);
  });
});
