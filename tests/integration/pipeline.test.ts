/**
 * The pipeline end to end on the run's local stack, through the real SDK clients:
 * intent → PUT under incoming/ → S3 event → queue → ingest handler → DynamoDB (and S3
 * reports). Outcomes are read back from DynamoDB and S3, never from the handler.
 *
 * The stack (and its database) is shared with the other integration files, which use
 * 2024/2025: every test here owns a year of its own (2010–2021) and the units it names
 * (all of town EC; the district's other towns send nothing in those years), so that a
 * month's and a year's rollups, the town's and the district's, are its figures alone.
 */
import { randomUUID } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUploadId, objectKey } from '../../shared/uploads.ts';
import {
  connectStack,
  deadLetter,
  deadLettersWithBody,
  longCsv,
  nonZero,
  outcomeOf,
  putObject,
  recordIntent,
  s3Notification,
  STACK_EVENT_TIME,
  sumValues,
  upload,
  type StackHandle,
} from '../support/stack.ts';

let stack: StackHandle;
beforeAll(() => {
  stack = connectStack();
});
afterAll(() => stack.close());

async function objectText(key: string): Promise<string | undefined> {
  try {
    const out = await stack.s3.send(new GetObjectCommand({ Bucket: stack.bucket, Key: key }));
    return await out.Body!.transformToString();
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

async function reportOf(unit: string, period: string, uploadId: string): Promise<Record<string, unknown> | undefined> {
  const text = await objectText(`reports/${unit}/${period}/${uploadId}.json`);
  return text === undefined ? undefined : (JSON.parse(text) as Record<string, unknown>);
}

const codes = (findings: readonly { code: string }[] | undefined) => (findings ?? []).map((f) => f.code);

describe('an upload: intent recorded, then the object PUT under incoming/', () => {
  it('accepts a long CSV as the unit’s current month and counts it in the month’s and the year’s rollups', async () => {
    // Prepare
    const body = longCsv('V01', '2010-03', {
      legal_literates: 12,
      general_hazards_found: 4,
      hazards_rectified: 3,
      'disputes_resolved.labor': 2,
    });
    const expected = {
      legal_literates: 12,
      general_hazards_found: 4,
      hazards_rectified: 3,
      disputes_resolved: 2,
      'disputes_resolved.labor': 2,
    };

    // Act
    const { uploadId, key } = await upload(stack, { unit: 'EC/V01', period: '2010-03', body });
    const record = await outcomeOf(stack, uploadId);

    // Assess
    expect(record).toMatchObject({
      uploadId,
      status: 'accepted',
      key,
      errors: [],
      submissions: [{ unit: 'EC/V01', period: '2010-03', state: 'current' }],
    });
    expect(codes(record.warnings)).toEqual(['LATE']); // 2010-03 was due on 2010-04-05
    const current = await stack.ledger.currentOfMonth('2010-03');
    expect(current).toEqual([expect.objectContaining({ unit: 'EC/V01', period: '2010-03', uploadId, values: expected })]);
    expect(nonZero(await stack.ledger.rollup('EC', 'month', '2010-03'))).toEqual(expected);
    expect(nonZero(await stack.ledger.rollup('EC', 'year', '2010'))).toEqual(expected);
    // The district's rollups, written in the same transaction: the other towns sent nothing.
    expect(nonZero(await stack.ledger.rollup('QJ', 'month', '2010-03'))).toEqual(expected);
    expect(nonZero(await stack.ledger.rollup('QJ', 'year', '2010'))).toEqual(expected);
    expect(await stack.ledger.rollup('SH', 'month', '2010-03')).toEqual({});
    expect(await stack.ledger.unitYears('2010')).toEqual([expect.objectContaining({ unit: 'EC/V01', year: '2010', values: expected })]);
    expect(await stack.ledger.versions('EC/V01', '2010-03')).toEqual([expect.objectContaining({ uploadId, values: expected })]);
    expect(await objectText(key)).toBe(body); // the original is kept
  });

  it('accepts a JSON file: categories make their total, money stays exact in the rollups', async () => {
    // Prepare
    const body = JSON.stringify({
      unit: 'V02',
      period: '2011-05',
      values: { general_hazards_found: 3, veteran_aid_yuan: 1500.55, disputes_resolved: { labor: 2, family: 1 } },
      submittedBy: '南溪村 李文书',
    });
    const expected = {
      general_hazards_found: 3,
      veteran_aid_yuan: 1500.55,
      disputes_resolved: 3,
      'disputes_resolved.labor': 2,
      'disputes_resolved.family': 1,
    };

    // Act
    const { uploadId, key } = await upload(stack, { unit: 'EC/V02', period: '2011-05', body, ext: 'json' });
    const record = await outcomeOf(stack, uploadId);

    // Assess
    expect(key).toMatch(/^incoming\/EC\/V02\/2011-05\/[a-z0-9-]+\.json$/);
    expect(record).toMatchObject({ status: 'accepted', submissions: [{ unit: 'EC/V02', period: '2011-05', state: 'current' }] });
    expect(await stack.ledger.currentOfMonth('2011-05')).toEqual([expect.objectContaining({ unit: 'EC/V02', uploadId, values: expected })]);
    expect(nonZero(await stack.ledger.rollup('EC', 'month', '2011-05'))).toEqual(expected);
    expect(nonZero(await stack.ledger.rollup('EC', 'year', '2011'))).toEqual(expected);
  });
});

describe('object keys in S3 notifications (URL-encoded, "+" for a space)', () => {
  it('decodes a %-encoded key in a raw message and finds the upload and its object', async () => {
    // Prepare: the object is there, its own event lost; then a message with every byte of the key %-encoded.
    const intent = await recordIntent(stack, { unit: 'EC/V03', period: '2012-07' });
    const key = objectKey(intent);
    const body = longCsv('V03', '2012-07', { emergency_drills: 2 });
    await stack.control.withEventsLost(() => putObject(stack, key, body));
    const encoded = [...key].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`).join('');

    // Act
    await stack.control.send(s3Notification({ key, size: body.length, rawKey: encoded }));
    const record = await outcomeOf(stack, intent.uploadId);

    // Assess
    expect(encoded).toContain('%2F');
    expect(record).toMatchObject({ status: 'accepted', key });
    expect(nonZero(await stack.ledger.rollup('EC', 'month', '2012-07'))).toEqual({ emergency_drills: 2 });
  });

  it('decodes "+" as a space and %2B as "+": objects outside the key pattern are recorded under their real keys, counted nowhere', async () => {
    // Prepare: keys no upload can have (a space, a plus, a percent sign), PUT by hand.
    const marker = randomUUID().slice(0, 8);
    const spaced = `incoming/EC/V03/2012-08/new report ${marker}.csv`;
    const plussed = `incoming/EC/V03/2012-08/a+b 100% ${marker}.csv`;
    const body = longCsv('V03', '2012-08', { emergency_drills: 9 });

    // Act
    await putObject(stack, spaced, body);
    await putObject(stack, plussed, body);
    await stack.control.idle();

    // Assess: each has a report naming its exact key, and an upload record with that key.
    const listed = await stack.s3.send(new ListObjectsV2Command({ Bucket: stack.bucket, Prefix: 'reports/_unexpected/' }));
    const reports = await Promise.all(
      (listed.Contents ?? []).map(
        async (o) => JSON.parse((await objectText(o.Key!))!) as { uploadId: string; key: string; errors: { code: string }[] },
      ),
    );
    for (const key of [spaced, plussed]) {
      const report = reports.find((r) => r.key === key);
      expect(report, key).toMatchObject({ status: 'rejected', errors: [{ code: 'NO_UPLOAD_INTENT', value: key }] });
      expect(await stack.ledger.getUpload(report!.uploadId)).toMatchObject({ status: 'rejected', key, unit: '_unexpected' });
    }
    expect(await stack.ledger.currentOfMonth('2012-08')).toEqual([]);
    expect(await stack.ledger.rollup('EC', 'month', '2012-08')).toEqual({});
  });
});

describe('a rejected file', () => {
  it('records the code, row and column, writes a report to reports/, keeps the original and leaves the rollups alone', async () => {
    // Prepare
    const body = longCsv('V04', '2013-04', { general_hazards_found: '三', hazards_rectified: 1 });

    // Act
    const { uploadId, key } = await upload(stack, { unit: 'EC/V04', period: '2013-04', body });
    const record = await outcomeOf(stack, uploadId);

    // Assess: the record
    expect(record).toMatchObject({ uploadId, status: 'rejected', key, submissions: [] });
    expect(record.errors).toEqual([expect.objectContaining({ code: 'NOT_A_NUMBER', row: 2, column: 'value', value: '三' })]);
    expect(record.errors![0]!.message).toMatch(/[\u4e00-\u9fff]/); // in Chinese
    // the report in S3
    const report = await reportOf('EC/V04', '2013-04', uploadId);
    expect(report).toMatchObject({
      uploadId,
      status: 'rejected',
      file: key,
      errors: [{ code: 'NOT_A_NUMBER', row: 2, column: 'value', value: '三' }],
    });
    // the original, kept
    expect(await objectText(key)).toBe(body);
    // counted nowhere
    expect(await stack.ledger.currentOfMonth('2013-04')).toEqual([]);
    expect(await stack.ledger.versions('EC/V04', '2013-04')).toEqual([]);
    expect(await stack.ledger.rollup('EC', 'month', '2013-04')).toEqual({});
    expect(await stack.ledger.rollup('EC', 'year', '2013')).toEqual({});
    expect(await stack.ledger.rollup('QJ', 'year', '2013')).toEqual({});
  });
});

describe('exactly once', () => {
  it('counts an object once when its notification is delivered several times at once, and again later', async () => {
    // Prepare: the object is stored, its event lost; we deliver the notification ourselves.
    const values = { petitions_received: 4, petitions_closed: 3 };
    const body = longCsv('V05', '2014-02', values);
    const intent = await recordIntent(stack, { unit: 'EC/V05', period: '2014-02' });
    const key = objectKey(intent);
    await stack.control.withEventsLost(() => putObject(stack, key, body));
    const message = s3Notification({ key, size: body.length });

    // Act: three at once, then once more after the upload is finished
    await Promise.all([stack.control.send(message), stack.control.send(message), stack.control.send(message)]);
    const first = await outcomeOf(stack, intent.uploadId);
    await stack.control.idle();
    await stack.control.send(message);
    await stack.control.idle();

    // Assess
    expect(first).toMatchObject({ status: 'accepted' });
    expect(await stack.ledger.getUpload(intent.uploadId)).toEqual(first); // the late duplicate changed nothing
    expect(await stack.ledger.versions('EC/V05', '2014-02')).toHaveLength(1);
    expect(await stack.ledger.currentOfMonth('2014-02')).toEqual([
      expect.objectContaining({ unit: 'EC/V05', uploadId: intent.uploadId, values }),
    ]);
    expect(nonZero(await stack.ledger.rollup('EC', 'month', '2014-02'))).toEqual(values);
    expect(nonZero(await stack.ledger.rollup('EC', 'year', '2014'))).toEqual(values);
  });

  it('applies a correction (a second upload) to what it states, keeping the first as history, with its change list', async () => {
    // Prepare
    const before = { general_hazards_found: 5, legal_trainings: 2 };
    const correction = { general_hazards_found: 8, law_study_sessions: 1 };
    const after = { ...before, ...correction };
    const first = await upload(stack, { unit: 'EC/V06', period: '2015-06', body: longCsv('V06', '2015-06', before) });
    await outcomeOf(stack, first.uploadId);

    // Act
    const second = await upload(stack, { unit: 'EC/V06', period: '2015-06', body: longCsv('V06', '2015-06', correction) });
    const record = await outcomeOf(stack, second.uploadId);

    // Assess
    expect(record).toMatchObject({
      status: 'accepted',
      submissions: [
        {
          unit: 'EC/V06',
          period: '2015-06',
          state: 'current',
          version: 2,
          changes: [
            { key: 'law_study_sessions', from: null, to: 1 },
            { key: 'general_hazards_found', from: 5, to: 8 },
          ],
          unchanged: 1,
        },
      ],
    });
    expect(await stack.ledger.currentOfMonth('2015-06')).toEqual([
      expect.objectContaining({ unit: 'EC/V06', uploadId: second.uploadId, values: after, version: 2 }),
    ]);
    expect((await stack.ledger.versions('EC/V06', '2015-06')).map((h) => h.uploadId)).toEqual([first.uploadId, second.uploadId]);
    expect(nonZero(await stack.ledger.rollup('EC', 'month', '2015-06'))).toEqual(after);
    expect(nonZero(await stack.ledger.rollup('EC', 'year', '2015'))).toEqual(after);
    expect(await stack.ledger.unitYears('2015')).toEqual([expect.objectContaining({ unit: 'EC/V06', values: after })]);
  });

  it('folds the earlier upload in its place when its event arrives last (out of order): the later one’s values win', async () => {
    // Prepare: both objects stored with their events lost.
    const earlierValues = { traffic_violations: 7, road_hazards_found: 2 };
    const laterValues = { traffic_violations: 3, warning_signs_added: 5 };
    const earlierBody = longCsv('V07', '2016-09', earlierValues);
    const laterBody = longCsv('V07', '2016-09', laterValues);
    const earlier = await recordIntent(stack, { unit: 'EC/V07', period: '2016-09' });
    const later = await recordIntent(stack, { unit: 'EC/V07', period: '2016-09' });
    await stack.control.withEventsLost(async () => {
      await putObject(stack, objectKey(earlier), earlierBody);
      await putObject(stack, objectKey(later), laterBody);
    });
    const t0 = new Date(STACK_EVENT_TIME).getTime();
    const event = (key: string, size: number, ms: number) =>
      s3Notification({ key, size, eventTime: new Date(t0 + ms).toISOString(), sequencer: (t0 + ms).toString(16).toUpperCase() });

    // Act: the later event first, and only once it is done, the earlier one.
    await stack.control.send(event(objectKey(later), laterBody.length, 1000));
    const laterRecord = await outcomeOf(stack, later.uploadId);
    await stack.control.send(event(objectKey(earlier), earlierBody.length, 0));
    const earlierRecord = await outcomeOf(stack, earlier.uploadId);

    // Assess
    expect(laterRecord).toMatchObject({ status: 'accepted', submissions: [{ state: 'current' }] });
    expect(earlierRecord).toMatchObject({ status: 'accepted', submissions: [{ unit: 'EC/V07', period: '2016-09', state: 'superseded' }] });
    // What only the earlier upload stated (road_hazards_found) stays; what both stated is the later one's.
    const folded = { ...earlierValues, ...laterValues };
    expect(await stack.ledger.currentOfMonth('2016-09')).toEqual([
      expect.objectContaining({ unit: 'EC/V07', uploadId: later.uploadId, values: folded, version: 2 }),
    ]);
    expect((await stack.ledger.versions('EC/V07', '2016-09')).map((h) => h.uploadId)).toEqual([earlier.uploadId, later.uploadId]);
    expect(nonZero(await stack.ledger.rollup('EC', 'month', '2016-09'))).toEqual(folded);
    expect(nonZero(await stack.ledger.rollup('EC', 'year', '2016'))).toEqual(folded);
  });
});

describe('an object nobody announced (no upload intent)', () => {
  it('is rejected with NO_UPLOAD_INTENT and a report, and counted nowhere', async () => {
    // Prepare: a well-formed key and a good file, but no intent recorded.
    const uploadId = newUploadId();
    const key = objectKey({ unit: 'EC/V08', period: '2017-01', uploadId, ext: 'csv' });

    // Act
    await putObject(stack, key, longCsv('V08', '2017-01', { gas_alarms_installed: 40 }));
    const record = await outcomeOf(stack, uploadId);

    // Assess
    expect(record).toMatchObject({ uploadId, status: 'rejected', key, unit: '_unexpected', submissions: [] });
    expect(record.errors).toEqual([expect.objectContaining({ code: 'NO_UPLOAD_INTENT', value: key })]);
    expect(await objectText(`reports/_unexpected/unknown/${uploadId}.json`)).toContain('NO_UPLOAD_INTENT');
    expect(await stack.ledger.currentOfMonth('2017-01')).toEqual([]);
    expect(await stack.ledger.rollup('EC', 'month', '2017-01')).toEqual({});
    expect(await stack.ledger.rollup('EC', 'year', '2017')).toEqual({});
    expect(await stack.ledger.rollup('QJ', 'year', '2017')).toEqual({});
    // and the id cannot be claimed afterwards
    expect(
      await stack.ledger.putIntent({
        uploadId,
        uploader: { role: 'admin' },
        unit: 'EC/V08',
        period: '2017-01',
        ext: 'csv',
        createdAt: STACK_EVENT_TIME,
        maxBytes: 1024,
      }),
    ).toBe(false);
  });
});

describe('a lost S3 event', () => {
  it('leaves the upload pending until reconcile finds the object and processes it', async () => {
    // Prepare
    const values = { food_units_inspected: 6, food_hazards_found: 2, food_hazards_closed: 1 };
    const { uploadId } = await stack.control.withEventsLost(() =>
      upload(stack, { unit: 'EC/TOWN', period: '2018-11', body: longCsv('TOWN', '2018-11', values) }),
    );
    await stack.control.idle();
    const pending = await stack.ledger.getUpload(uploadId);

    // Act
    const sent = await stack.control.reconcile();
    const record = await outcomeOf(stack, uploadId);

    // Assess
    expect(pending?.status).toBe('pending');
    expect(sent).toBeGreaterThanOrEqual(1);
    expect(record).toMatchObject({ status: 'accepted', submissions: [{ unit: 'EC/TOWN', period: '2018-11', state: 'current' }] });
    expect(nonZero(await stack.ledger.rollup('EC', 'month', '2018-11'))).toEqual(values);
    expect(nonZero(await stack.ledger.rollup('EC', 'year', '2018'))).toEqual(values);
  });

  // Regression: reconcile once dated an object by s3rver's LastModified (the wall clock)
  // while the stack's events carry its fixed clock, so a reconciled upload won over a
  // later correction.
  it('keeps a later correction current when the earlier upload’s lost event is reconciled after it (fixed clock)', async () => {
    // Prepare: the first upload's event is lost; the correction goes through normally.
    const firstValues = { rcd_installed: 10 };
    const correctionValues = { rcd_installed: 12 };
    const first = await stack.control.withEventsLost(() =>
      upload(stack, { unit: 'EC/V01', period: '2021-02', body: longCsv('V01', '2021-02', firstValues) }),
    );
    const correction = await upload(stack, { unit: 'EC/V01', period: '2021-02', body: longCsv('V01', '2021-02', correctionValues) });
    await outcomeOf(stack, correction.uploadId);

    // Act
    await stack.control.reconcile();
    const firstRecord = await outcomeOf(stack, first.uploadId);

    // Assess: the first upload was sent before its correction, at the stack's time
    expect(await stack.ledger.currentOfMonth('2021-02')).toEqual([
      expect.objectContaining({ uploadId: correction.uploadId, values: correctionValues }),
    ]);
    expect(nonZero(await stack.ledger.rollup('EC', 'month', '2021-02'))).toEqual(correctionValues);
    expect(firstRecord).toMatchObject({ status: 'accepted', receivedAt: STACK_EVENT_TIME, submissions: [{ state: 'superseded' }] });
  });
});

describe('a message the ingest cannot handle', () => {
  it('lands in the dead-letter queue after 3 receives and stays dead when replayed (a poison body)', async () => {
    // Prepare
    const poison = `not JSON ${randomUUID()}`;

    // Act
    const messageId = await stack.control.send(poison);
    await stack.control.idle();
    const dead = deadLetter(messageId);
    const replayed = await stack.control.replay([messageId]);
    await stack.control.idle();

    // Assess
    expect(dead).toMatchObject({ messageId, queue: 'ingest', body: poison, receiveCount: 3 }); // queue: where it came from
    expect(replayed).toBe(1);
    expect(deadLetter(messageId)).toBeUndefined(); // replay took it out…
    expect(deadLettersWithBody(poison)).toEqual([expect.objectContaining({ body: poison, receiveCount: 3 })]); // …and it failed again: not lost
  });

  it('processes a dead message once replayed after its cause is fixed (the object was missing)', async () => {
    // Prepare: an intent, and a notification for an object that is not there yet.
    const values = { ebike_shops_inspected: 11, illegal_charging_cases: 2 };
    const body = longCsv('V01', '2019-12', values);
    const intent = await recordIntent(stack, { unit: 'EC/V01', period: '2019-12' });
    const key = objectKey(intent);
    const messageId = await stack.control.send(s3Notification({ key, size: body.length }));
    await stack.control.idle();
    const dead = deadLetter(messageId);
    const whileDead = await stack.ledger.getUpload(intent.uploadId);
    await stack.control.withEventsLost(() => putObject(stack, key, body)); // the fix: the object arrives (its event lost)

    // Act
    const replayed = await stack.control.replay([messageId]);
    const record = await outcomeOf(stack, intent.uploadId);

    // Assess
    expect(dead).toMatchObject({ messageId, receiveCount: 3 });
    expect(whileDead?.status).toBe('pending');
    expect(replayed).toBe(1);
    expect(record).toMatchObject({ status: 'accepted', key });
    expect(nonZero(await stack.ledger.rollup('EC', 'month', '2019-12'))).toEqual(values);
    await stack.control.idle();
    expect(deadLetter(messageId)).toBeUndefined();
    expect(deadLettersWithBody(dead!.body)).toEqual([]);
  });
});

describe('concurrent uploads', () => {
  const UNITS = ['V01', 'V02', 'V03', 'V04', 'V05', 'V06', 'V07', 'V08', 'TOWN'];

  it('counts all 9 units of a month uploaded at once: the rollups are the sum, completeness lists 9', async () => {
    // Prepare
    const valuesOf = (i: number) => ({
      legal_literates: 10 + i,
      general_hazards_found: i + 2,
      hazards_rectified: i + 1,
      petitions_received: 2 * i + 1,
      veteran_aid_yuan: Math.round((100.25 + i * 33.33) * 100) / 100,
    });
    const files = UNITS.map((unit, i) => {
      const v = valuesOf(i);
      return { unit, values: v, body: longCsv(unit, '2020-07', { ...v, veteran_aid_yuan: v.veteran_aid_yuan.toFixed(2) }) };
    });
    const expected = sumValues(files.map((f) => f.values));

    // Act
    const uploads = await Promise.all(files.map((f) => upload(stack, { unit: `EC/${f.unit}`, period: '2020-07', body: f.body })));
    const records = await Promise.all(uploads.map((u) => outcomeOf(stack, u.uploadId)));

    // Assess
    expect(records.map((r) => r.status)).toEqual(UNITS.map(() => 'accepted'));
    const current = await stack.ledger.currentOfMonth('2020-07');
    expect(current.map((c) => c.unit).sort()).toEqual(UNITS.map((u) => `EC/${u}`).sort());
    expect(sumValues(current.map((c) => c.values))).toEqual(expected); // the oracle: a recomputation from current submissions
    expect(nonZero(await stack.ledger.rollup('EC', 'month', '2020-07'))).toEqual(expected);
    expect(nonZero(await stack.ledger.rollup('EC', 'year', '2020'))).toEqual(expected);
    expect(nonZero(await stack.ledger.rollup('QJ', 'month', '2020-07'))).toEqual(expected);
    expect(await stack.ledger.unitYears('2020')).toHaveLength(9);
  });
});
