/**
 * Credentials: bearer tokens with a role, stored only as hashes.
 *
 * A token is `cb_{tokenId}_{secret}`: the id (16 hex digits, random, not secret: it names
 * the token in `token list`, in logs and in `token revoke`) finds the record with one
 * GetItem; the secret (32 random bytes, base64url, 43 characters) is checked against the
 * SHA-256 stored in that record, in constant time. The token itself is shown once, when
 * it is issued, and kept nowhere.
 *
 * Why SHA-256 and not HMAC with a pepper (or a slow password hash): the secret has 256
 * bits of entropy, so whoever reads the table cannot find a secret from its hash by
 * guessing, peppered or not; a pepper would add a second secret to store, rotate and
 * inject into every function, and protect nothing more. A slow hash is for human
 * passwords; here it would only slow down every API request.
 *
 * Pure core: no AWS, only node:crypto. The store is a port (TokenStore); the DynamoDB
 * adapter is shared/adapters/dynamodb-tokens.ts. Who a token speaks for (its principal,
 * bound to a node of the district) is shared/auth/principals.ts.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { IssueError, principalOf, type Principal } from './principals.ts';

// ---------------------------------------------------------------------------------------
// Errors: stable codes (401 in the API), Chinese messages a secretary can act on
// ---------------------------------------------------------------------------------------

export type TokenErrorCode = 'TOKEN_MISSING' | 'TOKEN_MALFORMED' | 'TOKEN_UNKNOWN' | 'TOKEN_EXPIRED' | 'TOKEN_REVOKED';

const ASK_FOR_A_NEW_ONE = '请向镇管理员申请新的凭证。';

/**
 * Why a token was not accepted. `code` and `message` may be shown to the caller;
 * `reason` is for the server's logs only (it tells a wrong secret from an unknown id,
 * which the caller must not learn).
 */
export class TokenError extends Error {
  override readonly name = 'TokenError';
  /** The HTTP status of every token error. */
  readonly status = 401;

  constructor(
    readonly code: TokenErrorCode,
    message: string,
    readonly reason?: 'no-such-token' | 'secret-mismatch',
  ) {
    super(message);
  }
}

export const tokenErrors = {
  missing: () => new TokenError('TOKEN_MISSING', '缺少凭证：请在请求头 Authorization 中给出 “Bearer 凭证”，或在页面上粘贴凭证。'),
  malformed: () =>
    new TokenError(
      'TOKEN_MALFORMED',
      `凭证格式不正确：凭证以 cb_ 开头，共 ${TOKEN_LENGTH} 个字符。请完整复制，不要多出或漏掉字符、空格或换行。`,
    ),
  unknown: (reason?: TokenError['reason']) =>
    new TokenError('TOKEN_UNKNOWN', `凭证无效：没有这个凭证，或凭证不完整。请核对后重新粘贴；仍不行请${ASK_FOR_A_NEW_ONE}`, reason),
  expired: (expiresAt: string) =>
    new TokenError('TOKEN_EXPIRED', `凭证已于 ${beijingTime(expiresAt)}（北京时间）过期，${ASK_FOR_A_NEW_ONE}`),
  revoked: () => new TokenError('TOKEN_REVOKED', `凭证已被撤销，不能再使用。${ASK_FOR_A_NEW_ONE}`),
} as const;

// ---------------------------------------------------------------------------------------
// The token format
// ---------------------------------------------------------------------------------------

const TOKEN_ID_BYTES = 8;
const SECRET_BYTES = 32;
/** `cb_` + 16 hex + `_` + 43 base64url (the secret may itself contain `_` and `-`). */
const TOKEN = /^cb_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
const TOKEN_ID = /^[0-9a-f]{16}$/;
const TOKEN_LENGTH = 3 + 2 * TOKEN_ID_BYTES + 1 + 43;

export interface ParsedToken {
  readonly tokenId: string;
  readonly secret: string;
}

export function isTokenId(text: string): boolean {
  return TOKEN_ID.test(text);
}

/** Splits a token into its id and secret; TOKEN_MALFORMED if it is not one. */
export function parseToken(token: string): ParsedToken {
  // Checked before the pattern: a megabyte of header must not reach the regex engine.
  const match = token.length === TOKEN_LENGTH ? TOKEN.exec(token) : null;
  if (!match) throw tokenErrors.malformed();
  return { tokenId: match[1]!, secret: match[2]! };
}

/**
 * The token of an `Authorization` header: `Bearer {token}` (scheme in any case, spaces
 * around trimmed, as pasted). TOKEN_MISSING without a header, TOKEN_MALFORMED otherwise.
 */
export function bearerToken(header: string | undefined): string {
  if (header === undefined || header.trim() === '') throw tokenErrors.missing();
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(header.length <= 512 ? header : '');
  if (!match) throw tokenErrors.malformed();
  return match[1]!;
}

/** A new token: a random id and a random secret, from the operating system's CSPRNG. */
export function newToken(): ParsedToken & { readonly token: string } {
  const tokenId = randomBytes(TOKEN_ID_BYTES).toString('hex');
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  return { tokenId, secret, token: `cb_${tokenId}_${secret}` };
}

/**
 * What is stored of a secret: its SHA-256, in hex. The secret is hashed as the text that
 * was handed out (not as the bytes it encodes), so only that exact text matches: a
 * different spelling of the same bytes in base64url is a different, unknown token.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

// Compared with when the record is missing or its hash is damaged, so that every
// verification of a well-formed token does one hash and one 32-byte comparison.
const NO_HASH = Buffer.alloc(32);

/** Whether a secret matches a stored hash, in time that does not depend on where they differ. */
export function secretMatches(secret: string, storedHash: string | undefined): boolean {
  const presented = createHash('sha256').update(secret, 'utf8').digest();
  const stored = storedHash !== undefined && /^[0-9a-f]{64}$/.test(storedHash) ? Buffer.from(storedHash, 'hex') : undefined;
  const equal = timingSafeEqual(presented, stored ?? NO_HASH);
  return equal && stored !== undefined;
}

// ---------------------------------------------------------------------------------------
// Records and the store (the port)
// ---------------------------------------------------------------------------------------

// The records and the store's interface are the port (shared/ports/tokens.ts).
import type { Revocation, TokenInfo, TokenPage, TokenRecord, TokenStore } from '../ports/tokens.ts';
export type { Revocation, TokenInfo, TokenPage, TokenRecord, TokenStore };

const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

/** The order of the list: creation time, then id (ids of one instant sort arbitrarily but stably). */
export function listKey(info: Pick<TokenInfo, 'createdAt' | 'tokenId'>): string {
  return `${info.createdAt}#${info.tokenId}`;
}

/** A page cursor is the list key of the last token of the page, opaque to callers. */
export function encodeCursor(info: Pick<TokenInfo, 'createdAt' | 'tokenId'>): string {
  return Buffer.from(listKey(info), 'utf8').toString('base64url');
}

/** The list key in a cursor, or undefined when it is not one of ours (a 400 in an API). */
export function decodeCursor(cursor: string): { readonly createdAt: string; readonly tokenId: string } | undefined {
  if (cursor.length > 200) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)#([0-9a-f]{16})$/.exec(text);
  return match ? { createdAt: match[1]!, tokenId: match[2]! } : undefined;
}

export function pageLimit(limit: number | undefined): number {
  return Math.max(1, Math.min(MAX_PAGE, Math.floor(limit ?? DEFAULT_PAGE)));
}

/** Every token, page after page. */
export async function* allTokens(store: TokenStore, pageSize = DEFAULT_PAGE): AsyncIterable<TokenInfo> {
  let cursor: string | undefined;
  do {
    const page: TokenPage = await store.list({ limit: pageSize, ...(cursor ? { cursor } : {}) });
    yield* page.tokens;
    cursor = page.cursor;
  } while (cursor);
}

/** The info of a record (what may be shown): the hash dropped. */
export function infoOf(record: TokenRecord): TokenInfo {
  const { hash: _hash, ...info } = record;
  return info;
}

export type TokenStatus = 'active' | 'expired' | 'revoked';

export function tokenStatus(info: TokenInfo, now: Date): TokenStatus {
  if (info.revokedAt !== undefined) return 'revoked';
  return now.getTime() >= Date.parse(info.expiresAt) ? 'expired' : 'active';
}

// ---------------------------------------------------------------------------------------
// Expiry
// ---------------------------------------------------------------------------------------

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DEFAULT_LIFETIME = '90d';
/** At most a year (366 days, so that “the same date next year” is always allowed). */
export const MAX_LIFETIME_MS = 366 * DAY;
const BEIJING = 8 * HOUR;

/**
 * When a token given `--expires` expires: `90d` or `12h` from now; `2025-12-31` at the end
 * of that day in Beijing time (usable all that day); or an ISO-8601 instant with its offset.
 * Default 90 days; in the future; at most a year from now.
 */
export function parseExpiry(text: string | undefined, now: Date): Date {
  const given = (text ?? DEFAULT_LIFETIME).trim();
  const at = instantOf(given, now);
  if (at === undefined)
    throw new IssueError(
      'EXPIRY_INVALID',
      `有效期 “${given}” 看不懂：请写天数（如 90d）、小时数（如 12h）、日期（如 2025-12-31，当天北京时间 24 点到期）或带时区的时间（如 2025-12-31T18:00:00+08:00）。`,
    );
  if (at.getTime() <= now.getTime())
    throw new IssueError('EXPIRY_INVALID', `有效期 “${given}” 已经过去：到期时间必须晚于现在（${beijingTime(now.toISOString())}）。`);
  if (at.getTime() - now.getTime() > MAX_LIFETIME_MS)
    throw new IssueError('EXPIRY_INVALID', `有效期 “${given}” 太长：凭证最长有效一年（366 天），到期后再申请新的。`);
  return at;
}

function instantOf(text: string, now: Date): Date | undefined {
  const span = /^(\d{1,5})([dh])$/.exec(text);
  if (span) return new Date(now.getTime() + Number(span[1]) * (span[2] === 'd' ? DAY : HOUR));
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (date) {
    // The end of that day in Beijing = the next day's 00:00 at +08:00.
    const start = Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]));
    if (new Date(start).toISOString().slice(0, 10) !== text) return undefined; // 2025-02-30
    return new Date(start + DAY - BEIJING);
  }
  // An instant needs its offset: “18:00” alone would depend on the machine's time zone.
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? undefined : new Date(ms);
  }
  return undefined;
}

/** `2025-07-02 09:00` in Beijing time. */
export function beijingTime(iso: string): string {
  return new Date(Date.parse(iso) + BEIJING).toISOString().slice(0, 16).replace('T', ' ');
}

// ---------------------------------------------------------------------------------------
// Use cases
// ---------------------------------------------------------------------------------------

const NOTE_MAX = 200;

/** A note as stored: one line of 1 to 200 characters, trimmed (NOTE_INVALID otherwise). */
export function noteOf(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const note = text.trim();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what a one-line note may not hold.
  if (note.length === 0 || note.length > NOTE_MAX || /[\u0000-\u001f\u007f]/.test(note))
    throw new IssueError('NOTE_INVALID', `备注应为 1 至 ${NOTE_MAX} 个字符的一行文字。`);
  return note;
}

export interface IssueRequest {
  readonly principal: Principal;
  readonly expiresAt: Date;
  readonly note?: string;
  /** The token that asks (the API's admin): the new one is written only while it stands (TokenStore.put). */
  readonly minter?: string;
}

export interface Issued {
  /** The token: give it to its holder now; it is not kept and cannot be shown again. */
  readonly token: string;
  readonly info: TokenInfo;
}

/** Issues a token: a new id and secret, and a record with only the secret's hash. */
export async function issueToken(request: IssueRequest, store: TokenStore, now: Date): Promise<Issued> {
  const { principal, expiresAt } = request;
  if (!(expiresAt.getTime() > now.getTime() && expiresAt.getTime() - now.getTime() <= MAX_LIFETIME_MS)) {
    throw new IssueError('EXPIRY_INVALID', '到期时间必须晚于现在，且最长一年。');
  }
  const note = noteOf(request.note);
  // 64 random bits make a taken id unlikely; the conditional put makes it harmless.
  for (let attempt = 0; attempt < 3; attempt++) {
    const { tokenId, secret, token } = newToken();
    const info: TokenInfo = {
      tokenId,
      role: principal.role,
      ...(principal.role === 'village' ? { unit: principal.unit } : {}),
      ...(principal.role === 'town' ? { town: principal.town } : {}),
      createdAt: now.toISOString(),
      expiresAt: expiresAt.toISOString(),
      ...(note ? { note } : {}),
    };
    if (await store.put({ ...info, hash: hashSecret(secret) }, request.minter)) return { token, info };
  }
  throw new Error('token ids taken three times in a row: is the random source broken?');
}

export interface Authenticated {
  readonly principal: Principal;
  /** The token's id, for the logs and the upload records (never the token). */
  readonly tokenId: string;
  /** An authorizer's cache must not keep the answer past this instant. */
  readonly expiresAt: string;
}

/**
 * Who a token speaks for, or a TokenError. The secret is checked first, so that the
 * holder of a token id alone (ids are shown in lists and logs) learns nothing about the
 * token, not even whether it is revoked or expired: a wrong secret is TOKEN_UNKNOWN, as an
 * unknown id is. Then revocation (final) before expiry.
 */
export async function verifyToken(token: string, store: Pick<TokenStore, 'get'>, now: Date): Promise<Authenticated> {
  const { tokenId, secret } = parseToken(token);
  const record = await store.get(tokenId);
  if (!secretMatches(secret, record?.hash) || !record) throw tokenErrors.unknown(record ? 'secret-mismatch' : 'no-such-token');
  stillValid(record, now);
  return { principal: principalOf(record), tokenId, expiresAt: record.expiresAt };
}

/** A token's record still in force at `now`: revocation (final) before expiry, else a TokenError. */
export function stillValid(record: Pick<TokenRecord, 'revokedAt' | 'expiresAt'>, now: Date): void {
  if (record.revokedAt !== undefined) throw tokenErrors.revoked();
  if (now.getTime() >= Date.parse(record.expiresAt)) throw tokenErrors.expired(record.expiresAt);
}

/** Revokes a token by its id, or by the token itself (only its id is used). */
export async function revokeToken(idOrToken: string, store: TokenStore, now: Date): Promise<Revocation> {
  const tokenId = isTokenId(idOrToken) ? idOrToken : parseToken(idOrToken).tokenId;
  return store.revoke(tokenId, now.toISOString());
}
