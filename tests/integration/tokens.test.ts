/**
 * Credentials on real DynamoDB Local: the adapter (shared/adapters/dynamodb-tokens.ts) on
 * the run's shared stack, and `cunbao token` as a town clerk runs it, on a data dir of its
 * own.
 *
 * The shared table may hold other files' tokens: these tests only look at their own ids,
 * and date theirs in 2031 so that their place in the list is theirs alone.
 */
import { runCli, type Run } from '../support/cli.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientsFor } from '../../infra/local/runtime.ts';
import type { StackFile } from '../../infra/local/stack-file.ts';
import { DynamoTokens } from '../../shared/adapters/dynamodb-tokens.ts';
import type { Principal } from '../../shared/auth/principals.ts';
import {
  allTokens,
  issueToken,
  newToken,
  parseToken,
  revokeToken,
  TokenError,
  verifyToken,
  type TokenInfo,
} from '../../shared/auth/tokens.ts';
import { connectStack, eventually, type StackHandle } from '../support/stack.ts';

const DAY = 86_400_000;
/** A clock of these tests' own (the stack's is 2025): their tokens sort together in the list. */
const T0 = new Date('2031-05-06T07:08:09.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const V07: Principal = { role: 'village', unit: 'EC/V07' };
const TOWN_SH: Principal = { role: 'town', town: 'SH' };

async function rejection(promise: Promise<unknown>): Promise<TokenError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TokenError);
  return error as TokenError;
}

describe('DynamoTokens on the local stack', () => {
  let stack: StackHandle;
  let tokens: DynamoTokens;

  beforeAll(() => {
    stack = connectStack();
    tokens = new DynamoTokens(stack.dynamodb, stack.table);
  });

  afterAll(() => stack?.close());

  const rawItem = async (tokenId: string) => {
    const { Item } = await stack.dynamodb.send(
      new GetItemCommand({ TableName: stack.table, Key: marshall({ PK: `TOKEN#${tokenId}`, SK: 'TOKEN' }), ConsistentRead: true }),
    );
    return Item ? unmarshall(Item) : undefined;
  };

  it('stores an issued token as one item with the secret’s SHA-256 and GSI1 keys, never the secret, and verifies it at once', async () => {
    // Act
    const { token, info } = await issueToken({ principal: V07, expiresAt: at(30 * DAY), note: '杉岭村 李书记' }, tokens, T0);
    const authenticated = await verifyToken(token, tokens, at(DAY));

    // Assess
    const { tokenId, secret } = parseToken(token);
    const item = await rawItem(tokenId);
    expect(item).toEqual({
      PK: `TOKEN#${tokenId}`,
      SK: 'TOKEN',
      GSI1PK: 'TOKENS',
      GSI1SK: `${T0.toISOString()}#${tokenId}`,
      tokenId,
      role: 'village',
      unit: 'EC/V07',
      createdAt: T0.toISOString(),
      expiresAt: at(30 * DAY).toISOString(),
      note: '杉岭村 李书记',
      hash: createHash('sha256').update(secret).digest('hex'),
    });
    expect(JSON.stringify(item)).not.toContain(secret);
    expect(authenticated).toEqual({ principal: V07, tokenId, expiresAt: info.expiresAt });
  });

  it('keeps a town token’s town in the item, and gives it back on verification, in the list and on revocation', async () => {
    // Prepare: a moment of this test's own, so that the page it lists holds its token
    const now = at(7 * DAY);
    const { token, info } = await issueToken({ principal: TOWN_SH, expiresAt: at(9 * DAY) }, tokens, now);

    // Act
    const item = await rawItem(info.tokenId);
    const verified = await verifyToken(token, tokens, now);
    const listed = [];
    for await (const t of allTokens(tokens)) if (t.tokenId === info.tokenId) listed.push(t);
    const revocation = await revokeToken(info.tokenId, tokens, now);

    // Assess
    expect(item).toMatchObject({ role: 'town', town: 'SH' });
    expect(item).not.toHaveProperty('unit');
    expect(verified.principal).toEqual(TOWN_SH);
    expect(listed).toEqual([expect.objectContaining({ role: 'town', town: 'SH' })]);
    expect(revocation.info).toMatchObject({ role: 'town', town: 'SH', revokedAt: now.toISOString() });
  });

  it('never overwrites a token: a second put of the same id is refused and the first stays', async () => {
    // Prepare
    const { info } = await issueToken({ principal: { role: 'district' }, expiresAt: at(DAY) }, tokens, T0);
    const before = await tokens.get(info.tokenId);

    // Act
    const stored = await tokens.put({ ...info, role: 'admin', hash: createHash('sha256').update('mine').digest('hex') });

    // Assess
    expect(stored).toBe(false);
    expect(await tokens.get(info.tokenId)).toEqual(before);
  });

  it('mints a token for a minter that stands, and none for one revoked before the write, in the same transaction', async () => {
    // Prepare: an admin token that mints, revoked between its re-check and the mint (the race the route cannot see).
    const minter = await issueToken({ principal: { role: 'admin' }, expiresAt: at(DAY) }, tokens, T0);
    const minted = await issueToken(
      { principal: { role: 'town', town: 'EC' }, expiresAt: at(DAY), minter: minter.info.tokenId },
      tokens,
      T0,
    );
    await tokens.revoke(minter.info.tokenId, T0.toISOString());
    const attempted: string[] = [];
    const watched = Object.assign(Object.create(tokens) as DynamoTokens, {
      put: (record: Parameters<DynamoTokens['put']>[0], by?: string) => {
        attempted.push(record.tokenId);
        return tokens.put(record, by);
      },
    });

    // Act
    const refused = await issueToken({ principal: { role: 'admin' }, expiresAt: at(DAY), minter: minter.info.tokenId }, watched, T0).catch(
      (error: unknown) => error,
    );

    // Assess
    expect(await tokens.get(minted.info.tokenId)).toMatchObject({ role: 'town', town: 'EC' });
    expect(refused).toMatchObject({ code: 'TOKEN_REVOKED' });
    expect(attempted).toHaveLength(1);
    expect(await tokens.get(attempted[0]!)).toBeUndefined();
  });

  it('refuses a forged, an expired and a revoked token with their codes', async () => {
    // Prepare
    const live = await issueToken({ principal: TOWN_SH, expiresAt: at(DAY) }, tokens, T0);
    const revoked = await issueToken({ principal: TOWN_SH, expiresAt: at(DAY) }, tokens, T0);
    await revokeToken(revoked.info.tokenId, tokens, T0);

    // Act
    const forged = await rejection(verifyToken(`cb_${live.info.tokenId}_${newToken().secret}`, tokens, T0));
    const unknown = await rejection(verifyToken(newToken().token, tokens, T0));
    const expired = await rejection(verifyToken(live.token, tokens, at(DAY)));
    const gone = await rejection(verifyToken(revoked.token, tokens, T0));

    // Assess
    expect([forged.code, unknown.code, expired.code, gone.code]).toEqual([
      'TOKEN_UNKNOWN',
      'TOKEN_UNKNOWN',
      'TOKEN_EXPIRED',
      'TOKEN_REVOKED',
    ]);
    expect([forged.reason, unknown.reason]).toEqual(['secret-mismatch', 'no-such-token']);
  });

  it('revokes with a conditional update: the first time is kept, and an unknown id fails with TOKEN_UNKNOWN and creates nothing', async () => {
    // Prepare
    const { info } = await issueToken({ principal: V07, expiresAt: at(DAY) }, tokens, T0);
    const unknownId = newToken().tokenId;

    // Act
    const first = await revokeToken(info.tokenId, tokens, at(1000));
    const again = await revokeToken(info.tokenId, tokens, at(2000));
    const missing = await rejection(revokeToken(unknownId, tokens, T0));

    // Assess
    expect(first).toEqual({ info: { ...info, revokedAt: at(1000).toISOString() }, alreadyRevoked: false });
    expect(again).toEqual({ info: { ...info, revokedAt: at(1000).toISOString() }, alreadyRevoked: true });
    expect((await rawItem(info.tokenId))?.['revokedAt']).toBe(at(1000).toISOString());
    expect(missing.code).toBe('TOKEN_UNKNOWN');
    expect(await rawItem(unknownId)).toBeUndefined();
  });

  it('lists tokens with a paginated Query of GSI1, in creation order, without hashes', async () => {
    // Prepare: five tokens issued a second apart, a year after the others (so they sort last among ours)
    const base = T0.getTime() + 365 * DAY;
    const mine: TokenInfo[] = [];
    for (let i = 0; i < 5; i++)
      mine.push(
        (
          await issueToken(
            { principal: { role: 'district' }, expiresAt: new Date(base + i * 1000 + DAY) },
            tokens,
            new Date(base + i * 1000),
          )
        ).info,
      );

    // Act: every page of 2, from the start
    const pages = [await tokens.list({ limit: 2 })];
    while (pages.at(-1)!.cursor) pages.push(await tokens.list({ limit: 2, cursor: pages.at(-1)!.cursor! }));

    // Assess
    const listed = pages.flatMap((p) => p.tokens);
    const ours = new Set(mine.map((t) => t.tokenId));
    expect(listed.filter((t) => ours.has(t.tokenId))).toEqual(mine);
    expect(pages.every((p) => p.tokens.length <= 2)).toBe(true);
    expect(new Set(listed.map((t) => t.tokenId)).size).toBe(listed.length);
    expect(listed.map((t) => `${t.createdAt}#${t.tokenId}`)).toEqual(listed.map((t) => `${t.createdAt}#${t.tokenId}`).sort());
    expect(listed.some((t) => 'hash' in t)).toBe(false);
  });

  it('refuses a cursor that is not its own', async () => {
    // Act
    const error = await tokens.list({ cursor: 'eyJQSyI6IlVQTE9BRCMxIn0' }).then(
      () => undefined,
      (e: unknown) => e,
    );

    // Assess
    expect(error).toBeInstanceOf(RangeError);
  });

  it('never authorises from a damaged item: reading it fails instead', async () => {
    // Prepare: an item with an unknown role, as a bad manual edit of the table would leave
    const { token, secret } = newToken();
    const { tokenId } = parseToken(token);
    await stack.dynamodb.send(
      new PutItemCommand({
        TableName: stack.table,
        Item: marshall({
          PK: `TOKEN#${tokenId}`,
          SK: 'TOKEN',
          tokenId,
          role: 'root',
          createdAt: T0.toISOString(),
          expiresAt: at(DAY).toISOString(),
          hash: createHash('sha256').update(secret).digest('hex'),
        }),
      }),
    );

    // Act
    const error = await verifyToken(token, tokens, T0).then(
      () => undefined,
      (e: unknown) => e as Error,
    );

    // Assess
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(TokenError);
    expect(error?.message).toMatch(/unknown role/);
  });
});

// ---------------------------------------------------------------------------------------
// The command line: 4 processes. `token issue` starts its own stack (the embedded path);
// then `cunbao start` serves the data dir, and `token revoke` and `token list` use it (the
// connected path) while the test checks the printed token against the stored hash.
// ---------------------------------------------------------------------------------------

const BIN = fileURLToPath(new URL('../../bin/cunbao.mjs', import.meta.url));
const NOW = '2025-04-03T09:00:00+08:00';

const cunbao = (args: string[]): Promise<Run> => runCli(args, { CUNBAO_NOW: NOW });

describe('cunbao token issue, revoke and list on a data dir', () => {
  let dataDir: string;
  let start: ChildProcess | undefined;
  let startOutput = '';

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cunbao-tokens-'));
  });

  afterAll(async () => {
    // End the `cunbao start` this file started, by its pid, and wait for it.
    if (start && start.exitCode === null && start.signalCode === null) {
      const exited = new Promise((resolve) => start!.once('exit', resolve));
      start.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('issues a token printed once, which verifies against the stored hash; revoke stops it; list shows it revoked without its secret', async () => {
    // Act 1: issue (no stack runs yet: the command starts its own)
    const issue = await cunbao([
      'token',
      'issue',
      '--role',
      'village',
      '--unit',
      'v03',
      '--expires',
      '30d',
      '--note',
      '石柱村 张书记',
      '--data-dir',
      dataDir,
    ]);

    // Assess 1: the token alone on line 1, what it is on line 2
    expect(issue.code, issue.stderr).toBe(0);
    const [token, json, ...more] = issue.stdout.trimEnd().split('\n');
    expect(more).toEqual([]);
    expect(token).toMatch(/^cb_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const { tokenId, secret } = parseToken(token!);
    expect(JSON.parse(json!)).toEqual({
      tokenId,
      role: 'village',
      unit: 'EC/V03',
      principal: 'village:EC/V03',
      createdAt: new Date(NOW).toISOString(),
      expiresAt: new Date(Date.parse(NOW) + 30 * DAY).toISOString(),
      note: '石柱村 张书记',
    });
    expect(issue.stderr).toMatch(/只显示这一次/);
    expect(issue.stderr).not.toContain(secret);

    // Prepare 2: serve the data dir, and read its table directly
    start = spawn(process.execPath, [BIN, 'start', '--data-dir', dataDir, '--port', '0'], {
      env: { ...process.env, CUNBAO_NOW: NOW },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    start.stdout!.on('data', (chunk: Buffer) => (startOutput += chunk.toString()));
    start.stderr!.on('data', (chunk: Buffer) => (startOutput += chunk.toString()));
    const file = await eventually(
      async () =>
        existsSync(join(dataDir, 'stack.json')) ? (JSON.parse(readFileSync(join(dataDir, 'stack.json'), 'utf8')) as StackFile) : undefined,
      `stack.json (${startOutput})`,
      45_000,
    );
    const { dynamodb } = clientsFor(file.endpoints);
    const stored = new DynamoTokens(dynamodb, file.table);
    try {
      // Assess 2: the printed token is the one whose hash was stored
      expect(await verifyToken(token!, stored, new Date(NOW))).toEqual({
        principal: { role: 'village', unit: 'EC/V03' },
        tokenId,
        expiresAt: JSON.parse(json!).expiresAt,
      });

      // Act 3: revoke it by its id, through the running stack
      const revoke = await cunbao(['token', 'revoke', tokenId, '--data-dir', dataDir]);

      // Assess 3
      expect(revoke.code, revoke.stderr).toBe(0);
      expect(JSON.parse(revoke.stdout)).toEqual({
        tokenId,
        principal: 'village:EC/V03',
        revokedAt: new Date(NOW).toISOString(),
        alreadyRevoked: false,
        status: 'revoked',
      });
      expect((await rejection(verifyToken(token!, stored, new Date(NOW)))).code).toBe('TOKEN_REVOKED');

      // Act 4: list
      const list = await cunbao(['token', 'list', '--json', '--data-dir', dataDir]);

      // Assess 4: the token, revoked; never its secret or hash
      expect(list.code, list.stderr).toBe(0);
      expect(
        list.stdout
          .trimEnd()
          .split('\n')
          .map((l) => JSON.parse(l) as unknown),
      ).toEqual([
        {
          tokenId,
          role: 'village',
          unit: 'EC/V03',
          principal: 'village:EC/V03',
          createdAt: new Date(NOW).toISOString(),
          expiresAt: new Date(Date.parse(NOW) + 30 * DAY).toISOString(),
          revokedAt: new Date(NOW).toISOString(),
          note: '石柱村 张书记',
          status: 'revoked',
        },
      ]);
      expect(list.stdout).not.toContain(secret);
      expect(list.stdout).not.toContain(createHash('sha256').update(secret).digest('hex'));

      // Act 5: a town token (the one town of the registry by default), then the table
      const town = await cunbao(['token', 'issue', '--role', 'town', '--data-dir', dataDir]);
      const table = await cunbao(['token', 'list', '--data-dir', dataDir]);

      // Assess 5: each token with its node
      expect(town.code, town.stderr).toBe(0);
      expect(JSON.parse(town.stdout.split('\n')[1]!)).toMatchObject({ role: 'town', town: 'EC', principal: 'town:EC' });
      expect(table.code, table.stderr).toBe(0);
      expect(table.stdout).toMatch(/village:EC\/V03 石柱村/);
      expect(table.stdout).toMatch(/town:EC 鹅池镇/);
    } finally {
      dynamodb.destroy();
    }
  });
});

describe('cunbao token issue on a district registry', () => {
  const district = fileURLToPath(new URL('../../config/district.json', import.meta.url));
  const issue = (args: string[]) => runCli(['token', 'issue', ...args], { CUNBAO_NOW: NOW, CUNBAO_UNITS: district });

  it.each([
    [['--role', 'town'], 'TOWN_REQUIRED'],
    [['--role', 'town', '--town', 'ZZ'], 'TOWN_UNKNOWN'],
    [['--role', 'village', '--unit', 'V03'], 'UNIT_AMBIGUOUS'],
    [['--role', 'village', '--town', 'EC', '--unit', 'SH/V03'], 'UNIT_UNKNOWN'],
    [['--role', 'district', '--town', 'EC'], 'TOWN_NOT_ALLOWED'],
  ])('refuses %j as a usage error (%s) before any stack starts', async (args, code) => {
    // Act
    const run = await issue(args);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(code);
    expect(run.stdout).toBe('');
  });
});
