/**
 * The credential core (shared/auth/tokens.ts) against an in-memory store: the token format,
 * what is stored (a hash, never the secret), verification and its errors, expiry, and
 * the mapping of principals to the ingest's uploaders.
 *
 * A forged token (a real token id with a wrong secret) is TOKEN_UNKNOWN, exactly as an
 * unknown id is: ids are not secret (lists, logs), so whoever holds one must learn nothing
 * from it — not that it exists, not that it is revoked or expired. The reason is kept on
 * the error for the server's logs only.
 */
import { createHash } from 'node:crypto';
import * as crypto from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { IssueError, principalLabel, principalOf, requestedPrincipal, uploaderOf, type Principal } from '../../shared/auth/principals.ts';
import {
  allTokens,
  bearerToken,
  decodeCursor,
  encodeCursor,
  hashSecret,
  issueToken,
  MAX_LIFETIME_MS,
  newToken,
  parseExpiry,
  parseToken,
  revokeToken,
  secretMatches,
  TokenError,
  tokenStatus,
  verifyToken,
  type TokenRecord,
} from '../../shared/auth/tokens.ts';
import { readFileSync } from 'node:fs';
import { Registry } from '../../shared/registry.ts';
import { NOW, registry } from '../support/core.ts';
import { MemoryTokens } from '../support/memory-tokens.ts';

// Spy on the comparison without changing it: verification must go through timingSafeEqual.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const DAY = 86_400_000;
const TOKEN_SHAPE = /^cb_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/;
const V03: Principal = { role: 'village', unit: 'EC/V03' };
const TOWN_EC: Principal = { role: 'town', town: 'EC' };

/** The error a promise rejects with (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<TokenError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TokenError);
  return error as TokenError;
}

function thrown(work: () => unknown): Error {
  try {
    work();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

async function issued(store: MemoryTokens, principal: Principal = V03, lifetimeDays = 90, note?: string) {
  return issueToken({ principal, expiresAt: new Date(NOW.getTime() + lifetimeDays * DAY), ...(note ? { note } : {}) }, store, NOW);
}

describe('the token format', () => {
  it('makes cb_{16 hex id}_{43 base64url} tokens whose secret is 32 random bytes, never twice the same', () => {
    // Act
    const tokens = Array.from({ length: 200 }, () => newToken());

    // Assess
    for (const { token, tokenId, secret } of tokens) {
      expect(token).toMatch(TOKEN_SHAPE);
      expect(token).toBe(`cb_${tokenId}_${secret}`);
      expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    }
    expect(new Set(tokens.map((t) => t.tokenId)).size).toBe(200);
    expect(new Set(tokens.map((t) => t.secret)).size).toBe(200);
  });

  it('parses a token into its id and secret, also when the secret holds _ and -', () => {
    // Prepare: a secret with the separator in it
    const secret = 'ab_cd-ef'.padEnd(43, 'x');

    // Act
    const parsed = parseToken(`cb_0123456789abcdef_${secret}`);

    // Assess
    expect(parsed).toEqual({ tokenId: '0123456789abcdef', secret });
  });

  it.each([
    ['empty', ''],
    ['another prefix', `xx_0123456789abcdef_${'a'.repeat(43)}`],
    ['a short secret', `cb_0123456789abcdef_${'a'.repeat(42)}`],
    ['a long secret', `cb_0123456789abcdef_${'a'.repeat(44)}`],
    ['an upper-case id', `cb_0123456789ABCDEF_${'a'.repeat(43)}`],
    ['standard base64 (+/)', `cb_0123456789abcdef_${'a+/'.padEnd(43, 'a')}`],
    ['a trailing newline', `cb_0123456789abcdef_${'a'.repeat(43)}\n`],
    ['a space inside', `cb_0123456789abcdef _${'a'.repeat(42)}`],
    ['a megabyte', 'cb_'.padEnd(1 << 20, 'a')],
  ])('refuses %s as TOKEN_MALFORMED, in Chinese', (_what, token) => {
    // Act
    const error = thrown(() => parseToken(token)) as TokenError;

    // Assess
    expect(error).toBeInstanceOf(TokenError);
    expect(error).toMatchObject({ code: 'TOKEN_MALFORMED', status: 401 });
    expect(error.message).toMatch(/凭证格式不正确/);
  });

  it('takes the token out of an Authorization header, whatever the case of Bearer and the spaces around', () => {
    // Prepare
    const { token } = newToken();

    // Act
    const read = [`Bearer ${token}`, `bearer  ${token} `, `BEARER ${token}`].map(bearerToken);

    // Assess
    expect(read).toEqual([token, token, token]);
  });

  it('says TOKEN_MISSING without a header, and TOKEN_MALFORMED for another scheme or junk', () => {
    // Act
    const codes = [undefined, '  ', 'Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b', `Bearer ${'x'.repeat(600)}`].map(
      (h) => (thrown(() => bearerToken(h)) as TokenError).code,
    );

    // Assess
    expect(codes).toEqual(['TOKEN_MISSING', 'TOKEN_MISSING', 'TOKEN_MALFORMED', 'TOKEN_MALFORMED', 'TOKEN_MALFORMED', 'TOKEN_MALFORMED']);
  });
});

describe('what is stored of a token', () => {
  it('is the SHA-256 of the secret, with the role, unit, times and note: never the token or the secret', async () => {
    // Prepare
    const store = new MemoryTokens();

    // Act
    const { token, info } = await issued(store, V03, 30, '  石柱村 张书记  ');

    // Assess
    const { secret, tokenId } = parseToken(token);
    const [record, ...others] = store.stored();
    expect(others).toEqual([]);
    expect(record).toEqual({
      tokenId,
      role: 'village',
      unit: 'EC/V03',
      createdAt: NOW.toISOString(),
      expiresAt: new Date(NOW.getTime() + 30 * DAY).toISOString(),
      note: '石柱村 张书记',
      hash: createHash('sha256').update(secret).digest('hex'),
    });
    expect(info).toEqual({ ...record, hash: undefined });
    expect('hash' in info).toBe(false);
    const everything = JSON.stringify(store.stored());
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(token);
  });

  it('keeps a town token’s town, and nothing of a unit', async () => {
    // Prepare
    const store = new MemoryTokens();

    // Act
    const { info } = await issued(store, { role: 'town', town: 'SH' });

    // Assess
    expect(store.stored()).toEqual([expect.objectContaining({ role: 'town', town: 'SH' })]);
    expect(info).not.toHaveProperty('unit');
  });

  it('hashes the secret as handed out: another spelling of the same bytes does not match', () => {
    // Prepare: the last base64url character of 32 bytes carries 2 unused bits
    const { secret } = newToken();
    const last = secret.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = secret.slice(0, -1) + alphabet[alphabet.indexOf(last) ^ 1];

    // Act
    const matches = [secretMatches(secret, hashSecret(secret)), secretMatches(sibling, hashSecret(secret))];

    // Assess
    expect(Buffer.from(sibling, 'base64url').equals(Buffer.from(secret, 'base64url'))).toBe(true);
    expect(matches).toEqual([true, false]);
  });

  it('never matches a missing or damaged hash (and does not throw on one)', () => {
    // Prepare
    const { secret } = newToken();

    // Act
    const matches = [undefined, '', 'abc', hashSecret(secret).toUpperCase(), hashSecret(secret).slice(2), '0'.repeat(64)].map((h) =>
      secretMatches(secret, h),
    );

    // Assess
    expect(matches).toEqual([false, false, false, false, false, false]);
  });
});

describe('verifyToken', () => {
  let store: MemoryTokens;

  beforeEach(() => {
    store = new MemoryTokens();
    vi.mocked(crypto.timingSafeEqual).mockClear();
  });

  it('returns the principal, the token id and the expiry of a valid token', async () => {
    // Prepare
    const { token, info } = await issued(store);

    // Act
    const authenticated = await verifyToken(token, store, new Date(NOW.getTime() + DAY));

    // Assess
    expect(authenticated).toEqual({ principal: V03, tokenId: info.tokenId, expiresAt: info.expiresAt });
  });

  it.each<[Principal]>([[TOWN_EC], [{ role: 'district' }], [{ role: 'admin' }], [{ role: 'village', unit: 'EC/TOWN' }]])(
    'verifies a %j token as that principal',
    async (principal) => {
      // Prepare
      const { token } = await issued(store, principal);

      // Act
      const { principal: verified } = await verifyToken(token, store, NOW);

      // Assess
      expect(verified).toEqual(principal);
    },
  );

  it('compares hashes with timingSafeEqual on 32 bytes, whether the id is known, unknown, or the secret wrong', async () => {
    // Prepare
    const { token, info } = await issued(store);
    const forged = `cb_${info.tokenId}_${newToken().secret}`;
    const unknown = newToken().token;
    const compare = vi.mocked(crypto.timingSafeEqual);

    // Act
    await verifyToken(token, store, NOW);
    await verifyToken(forged, store, NOW).catch(() => undefined);
    await verifyToken(unknown, store, NOW).catch(() => undefined);

    // Assess: one comparison per verification, always of two 32-byte digests
    expect(compare).toHaveBeenCalledTimes(3);
    for (const [a, b] of compare.mock.calls) expect([(a as Buffer).length, (b as Buffer).length]).toEqual([32, 32]);
    expect(compare.mock.results.map((r) => r.value)).toEqual([true, false, false]);
  });

  it('refuses a forged token (a real id, a wrong secret) as TOKEN_UNKNOWN, as it refuses an unknown id', async () => {
    // Prepare
    const { info } = await issued(store);
    const forged = `cb_${info.tokenId}_${newToken().secret}`;

    // Act
    const forgery = await rejection(verifyToken(forged, store, NOW));
    const stranger = await rejection(verifyToken(newToken().token, store, NOW));

    // Assess: the caller sees the same; only the logs can tell them apart
    expect({ code: forgery.code, message: forgery.message, status: forgery.status }).toEqual({
      code: stranger.code,
      message: stranger.message,
      status: stranger.status,
    });
    expect(forgery.code).toBe('TOKEN_UNKNOWN');
    expect(forgery.message).toMatch(/凭证无效/);
    expect([forgery.reason, stranger.reason]).toEqual(['secret-mismatch', 'no-such-token']);
  });

  it('tells a forger nothing about a revoked or expired token: still TOKEN_UNKNOWN', async () => {
    // Prepare
    const revoked = await issued(store);
    await revokeToken(revoked.info.tokenId, store, NOW);
    const expired = await issued(store, V03, 1);

    // Act
    const codes = await Promise.all(
      [revoked, expired].map(
        async ({ info }) =>
          (await rejection(verifyToken(`cb_${info.tokenId}_${newToken().secret}`, store, new Date(NOW.getTime() + 2 * DAY)))).code,
      ),
    );

    // Assess
    expect(codes).toEqual(['TOKEN_UNKNOWN', 'TOKEN_UNKNOWN']);
  });

  it('accepts a token until the instant before it expires, and refuses it from then on as TOKEN_EXPIRED with the time in Beijing', async () => {
    // Prepare: expires 2025-04-04T01:00:00Z = 09:00 Beijing time
    const { token, info } = await issued(store, V03, 1);
    const expiry = Date.parse(info.expiresAt);

    // Act
    const before = await verifyToken(token, store, new Date(expiry - 1));
    const at = await rejection(verifyToken(token, store, new Date(expiry)));

    // Assess
    expect(before.principal).toEqual(V03);
    expect(at).toMatchObject({ code: 'TOKEN_EXPIRED', status: 401 });
    expect(at.message).toBe('凭证已于 2025-04-04 09:00（北京时间）过期，请向镇管理员申请新的凭证。');
  });

  it('refuses a revoked token as TOKEN_REVOKED, even one that has also expired', async () => {
    // Prepare
    const { token, info } = await issued(store, V03, 1);
    await revokeToken(info.tokenId, store, NOW);

    // Act
    const now = await rejection(verifyToken(token, store, NOW));
    const later = await rejection(verifyToken(token, store, new Date(NOW.getTime() + 2 * DAY)));

    // Assess
    expect([now.code, later.code]).toEqual(['TOKEN_REVOKED', 'TOKEN_REVOKED']);
    expect(now.message).toMatch(/已被撤销/);
  });

  it('refuses a malformed token without reading the store', async () => {
    // Act
    const error = await rejection(verifyToken('cb_not-a-token', store, NOW));

    // Assess
    expect(error.code).toBe('TOKEN_MALFORMED');
    expect(store.calls.get).toBe(0);
  });

  it('never authorises from a damaged record (an unknown role)', async () => {
    // Prepare
    const { token, info } = await issued(store);
    const [record] = store.stored();
    store.set({ ...record!, role: 'root' } as unknown as TokenRecord);

    // Act
    const error = await verifyToken(token, store, NOW).then(
      () => undefined,
      (e: unknown) => e as Error,
    );

    // Assess: an error, not a principal (the API answers 500, and nobody gets in)
    expect(error?.message).toMatch(/unknown role/);
    expect(info.role).toBe('village');
  });
});

describe('parseExpiry', () => {
  it.each([
    ['90d', NOW.getTime() + 90 * DAY],
    ['1d', NOW.getTime() + DAY],
    ['12h', NOW.getTime() + 12 * 3_600_000],
    ['366d', NOW.getTime() + 366 * DAY],
    [' 30d ', NOW.getTime() + 30 * DAY],
    // A date is valid all that day in Beijing: it ends at 24:00 +08:00.
    ['2025-12-31', Date.parse('2026-01-01T00:00:00+08:00')],
    ['2026-04-03', Date.parse('2026-04-04T00:00:00+08:00')],
    ['2025-06-30T18:00:00+08:00', Date.parse('2025-06-30T10:00:00Z')],
    ['2025-06-30T10:00Z', Date.parse('2025-06-30T10:00:00Z')],
  ])('reads %j', (text, expected) => {
    // Act
    const at = parseExpiry(text, NOW);

    // Assess
    expect(at.toISOString()).toBe(new Date(expected).toISOString());
  });

  it('defaults to 90 days', () => {
    expect(parseExpiry(undefined, NOW).getTime() - NOW.getTime()).toBe(90 * DAY);
  });

  it.each([
    ['0d', /已经过去/],
    ['0h', /已经过去/],
    ['2025-04-02', /已经过去/],
    ['2025-04-03T08:00:00+08:00', /已经过去/],
    ['367d', /最长有效一年/],
    ['2026-04-05', /最长有效一年/],
    ['2025-02-30', /看不懂/],
    ['2025-06-30T18:00:00', /看不懂/],
    ['90', /看不懂/],
    ['3m', /看不懂/],
    ['1y', /看不懂/],
    ['tomorrow', /看不懂/],
    ['', /看不懂/],
  ])('refuses %j as EXPIRY_INVALID, saying why in Chinese', (text, why) => {
    // Act
    const error = thrown(() => parseExpiry(text, NOW));

    // Assess
    expect(error).toBeInstanceOf(IssueError);
    expect(error).toMatchObject({ code: 'EXPIRY_INVALID' });
    expect(error.message).toMatch(why);
  });

  it('allows at most a year: 366 days', () => {
    expect(MAX_LIFETIME_MS).toBe(366 * DAY);
  });
});

describe('principals', () => {
  const district = Registry.parse(JSON.parse(readFileSync(new URL('../../config/district.json', import.meta.url), 'utf8')));

  it.each<[Principal, string]>([
    [V03, 'village:EC/V03'],
    [TOWN_EC, 'town:EC'],
    [{ role: 'district' }, 'district'],
    [{ role: 'admin' }, 'admin'],
  ])('names %j as %s', (principal, label) => {
    expect(principalLabel(principal)).toBe(label);
  });

  it.each<[Principal]>([[V03], [TOWN_EC], [{ role: 'district' }], [{ role: 'admin' }]])(
    'maps %j to the same uploader of the ingest',
    (principal) => {
      expect(uploaderOf(principal)).toEqual(principal);
    },
  );

  it('reads a record’s principal with its node, and refuses a village without a full code, a town without a town, or an unknown role', () => {
    // Act
    const ok = [
      principalOf({ role: 'village', unit: 'EC/V01' }),
      principalOf({ role: 'town', town: 'SH' }),
      principalOf({ role: 'district' }),
    ];
    const refused = [
      { role: 'village' },
      { role: 'village', unit: 'V01' },
      { role: 'town' },
      { role: 'town', unit: 'EC/V01' },
      { role: 'district', town: 'EC' },
      { role: 'root' },
    ].map((fields) => thrown(() => principalOf(fields)).message);

    // Assess
    expect(ok).toEqual([{ role: 'village', unit: 'EC/V01' }, { role: 'town', town: 'SH' }, { role: 'district' }]);
    expect(refused).toEqual([
      expect.stringMatching(/needs a unit full code/),
      expect.stringMatching(/needs a unit full code/),
      expect.stringMatching(/needs a town/),
      expect.stringMatching(/needs a town/),
      expect.stringMatching(/with a unit or a town/),
      expect.stringMatching(/unknown role/),
    ]);
  });

  it('takes a village’s unit by code or name in a one-town registry, and a town token’s town by default, as full codes', () => {
    // Act
    const byCode = requestedPrincipal({ role: 'village', unit: 'V03' }, registry);
    const byName = requestedPrincipal({ role: 'village', unit: '石柱村' }, registry);
    const town = requestedPrincipal({ role: 'town' }, registry);

    // Assess
    expect([byCode, byName, town]).toEqual([V03, V03, TOWN_EC]);
  });

  it('takes a village’s unit in a district by full code, division code, or short code and name within --town', () => {
    // Act
    const found = [
      requestedPrincipal({ role: 'village', unit: 'SH/V03' }, district),
      requestedPrincipal({ role: 'village', unit: 'V03', town: 'SH' }, district),
      requestedPrincipal({ role: 'village', unit: '新建村', town: 'SH' }, district),
      requestedPrincipal({ role: 'town', town: 'HX' }, district),
    ];

    // Assess
    expect(found).toEqual([
      { role: 'village', unit: 'SH/V03' },
      { role: 'village', unit: 'SH/V03' },
      { role: 'village', unit: 'SH/V05' },
      { role: 'town', town: 'HX' },
    ]);
  });

  it.each([
    [{ role: 'admin', unit: 'V03' }, 'UNIT_NOT_ALLOWED'],
    [{ role: 'district', unit: 'V03' }, 'UNIT_NOT_ALLOWED'],
    [{ role: 'district', town: 'EC' }, 'TOWN_NOT_ALLOWED'],
    [{ role: 'village' }, 'UNIT_REQUIRED'],
    [{ role: 'village', unit: 'V99', town: 'EC' }, 'UNIT_UNKNOWN'],
    [{ role: 'village', unit: 'SH/V03', town: 'EC' }, 'UNIT_UNKNOWN'],
    [{ role: 'village', unit: 'V03' }, 'UNIT_AMBIGUOUS'],
    [{ role: 'village', unit: '新建村' }, 'UNIT_AMBIGUOUS'],
    [{ role: 'town' }, 'TOWN_REQUIRED'],
    [{ role: 'town', town: 'ZZ' }, 'TOWN_UNKNOWN'],
    [{ role: 'root' }, 'ROLE_UNKNOWN'],
    [{ role: undefined }, 'ROLE_UNKNOWN'],
  ])('refuses %j in a district of three towns as %s', (request, code) => {
    // Act
    const error = thrown(() => requestedPrincipal(request, district));

    // Assess
    expect(error).toBeInstanceOf(IssueError);
    expect(error).toMatchObject({ code });
    expect(error.message).toMatch(/\p{Script=Han}/u);
  });
});

describe('issueToken', () => {
  it('tries another id when the store says an id is taken', async () => {
    // Prepare: the first put is refused, as a taken id is
    const store = new MemoryTokens();
    const put = store.put.bind(store);
    let refused = 0;
    store.put = async (record) => (refused++ === 0 ? false : put(record));

    // Act
    const { token, info } = await issued(store);

    // Assess
    expect(refused).toBe(2);
    expect(store.stored().map((r) => r.tokenId)).toEqual([info.tokenId]);
    expect((await verifyToken(token, store, NOW)).tokenId).toBe(info.tokenId);
  });

  it.each([
    ['an expiry in the past', { expiresAt: new Date(NOW.getTime() - 1) }, 'EXPIRY_INVALID'],
    ['an expiry beyond a year', { expiresAt: new Date(NOW.getTime() + 367 * DAY) }, 'EXPIRY_INVALID'],
    ['a blank note', { note: '   ' }, 'NOTE_INVALID'],
    ['a note of two lines', { note: '张书记\n手机' }, 'NOTE_INVALID'],
    ['a note of 201 characters', { note: '村'.repeat(201) }, 'NOTE_INVALID'],
  ])('refuses %s and writes nothing', async (_what, change, code) => {
    // Prepare
    const store = new MemoryTokens();

    // Act
    const error = await issueToken({ principal: V03, expiresAt: new Date(NOW.getTime() + DAY), ...change }, store, NOW).then(
      () => undefined,
      (e: unknown) => e,
    );

    // Assess
    expect(error).toBeInstanceOf(IssueError);
    expect(error).toMatchObject({ code });
    expect(store.calls.put).toBe(0);
  });
});

describe('revokeToken', () => {
  it('revokes by id or by the token itself, and keeps the first revocation’s time', async () => {
    // Prepare
    const store = new MemoryTokens();
    const a = await issued(store);
    const b = await issued(store);
    const later = new Date(NOW.getTime() + 3_600_000);

    // Act
    const first = await revokeToken(a.info.tokenId, store, NOW);
    const again = await revokeToken(a.token, store, later);
    const byToken = await revokeToken(b.token, store, later);

    // Assess
    expect(first).toEqual({ info: { ...a.info, revokedAt: NOW.toISOString() }, alreadyRevoked: false });
    expect(again).toEqual({ info: { ...a.info, revokedAt: NOW.toISOString() }, alreadyRevoked: true });
    expect(byToken.info).toMatchObject({ tokenId: b.info.tokenId, revokedAt: later.toISOString() });
    expect(store.stored().map((r) => tokenStatus(r, NOW))).toEqual(['revoked', 'revoked']);
  });

  it('fails with TOKEN_UNKNOWN for a token that does not exist, and creates none', async () => {
    // Prepare
    const store = new MemoryTokens();

    // Act
    const error = await rejection(revokeToken('0123456789abcdef', store, NOW));

    // Assess
    expect(error.code).toBe('TOKEN_UNKNOWN');
    expect(store.stored()).toEqual([]);
  });
});

describe('listing tokens', () => {
  it('pages through every token in creation order, never with a hash, and says each one’s status', async () => {
    // Prepare: five tokens a minute apart (given out of order), one revoked, one expired
    const store = new MemoryTokens();
    const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
    const ids: string[] = [];
    for (const minutes of [3, 0, 4, 1, 2]) {
      const { info } = await issueToken(
        { principal: TOWN_EC, expiresAt: new Date(at(minutes).getTime() + (minutes === 4 ? 60_000 : DAY)) },
        store,
        at(minutes),
      );
      ids[minutes] = info.tokenId;
    }
    await revokeToken(ids[1]!, store, NOW);

    // Act
    const pages = [await store.list({ limit: 2 })];
    while (pages.at(-1)!.cursor) pages.push(await store.list({ limit: 2, cursor: pages.at(-1)!.cursor! }));
    const all = [];
    for await (const info of allTokens(store, 2)) all.push(info);

    // Assess
    expect(pages.map((p) => p.tokens.length)).toEqual([2, 2, 1]);
    expect(pages.flatMap((p) => p.tokens.map((t) => t.tokenId))).toEqual(ids);
    expect(all.map((t) => t.tokenId)).toEqual(ids);
    expect(all.some((t) => 'hash' in t)).toBe(false);
    expect(all.map((t) => tokenStatus(t, at(10)))).toEqual(['active', 'revoked', 'active', 'active', 'expired']);
  });

  it('round-trips its cursors, and refuses one that is not its own', () => {
    // Prepare
    const info = { createdAt: NOW.toISOString(), tokenId: '0123456789abcdef' };

    // Act
    const decoded = [decodeCursor(encodeCursor(info)), decodeCursor('bm90IGEgY3Vyc29y'), decodeCursor('x'.repeat(500))];

    // Assess
    expect(decoded).toEqual([info, undefined, undefined]);
  });
});
