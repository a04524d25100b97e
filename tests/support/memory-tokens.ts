/**
 * An honest in-memory TokenStore, with the DynamoDB adapter's semantics: a put never
 * overwrites, get returns a copy, the list pages in creation order without hashes, a revoke
 * keeps the first time and fails with TOKEN_UNKNOWN for a token that does not exist.
 * `stored()` shows what the store holds, for tests that look for secrets where none may be.
 */
import {
  decodeCursor,
  encodeCursor,
  infoOf,
  listKey,
  pageLimit,
  tokenErrors,
  type Revocation,
  type TokenPage,
  type TokenRecord,
  type TokenStore,
} from '../../shared/auth/tokens.ts';

export class MemoryTokens implements TokenStore {
  private readonly records = new Map<string, TokenRecord>();
  /** Calls made, by method (a test can tell that nothing was written). */
  readonly calls = { put: 0, get: 0, list: 0, revoke: 0 };

  async put(record: TokenRecord, minter?: string): Promise<boolean> {
    this.calls.put++;
    // As the adapter's transaction: the minter must exist unrevoked when the new token is written.
    const standing = minter === undefined || (this.records.has(minter) && this.records.get(minter)!.revokedAt === undefined);
    if (!standing) throw tokenErrors.revoked();
    if (this.records.has(record.tokenId)) return false;
    this.records.set(record.tokenId, structuredClone(record));
    return true;
  }

  async get(tokenId: string): Promise<TokenRecord | undefined> {
    this.calls.get++;
    const record = this.records.get(tokenId);
    return record ? structuredClone(record) : undefined;
  }

  async list(page: { readonly limit?: number; readonly cursor?: string } = {}): Promise<TokenPage> {
    this.calls.list++;
    const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
    if (page.cursor !== undefined && !after) throw new RangeError(`not a token list cursor: ${page.cursor}`);
    const sorted = [...this.records.values()].sort((a, b) => (listKey(a) < listKey(b) ? -1 : 1));
    const rest = after ? sorted.filter((r) => listKey(r) > listKey(after)) : sorted;
    const limit = pageLimit(page.limit);
    const tokens = rest.slice(0, limit).map(infoOf);
    return { tokens, ...(rest.length > limit ? { cursor: encodeCursor(tokens.at(-1)!) } : {}) };
  }

  async revoke(tokenId: string, at: string): Promise<Revocation> {
    this.calls.revoke++;
    const record = this.records.get(tokenId);
    if (!record) throw tokenErrors.unknown('no-such-token');
    if (record.revokedAt !== undefined) return { info: infoOf(record), alreadyRevoked: true };
    const revoked = { ...record, revokedAt: at };
    this.records.set(tokenId, revoked);
    return { info: infoOf(revoked), alreadyRevoked: false };
  }

  /** Everything the store holds, as stored. */
  stored(): TokenRecord[] {
    return [...this.records.values()].map((r) => structuredClone(r));
  }

  /** Replaces a record as is (to make one expired, revoked or damaged). */
  set(record: TokenRecord): void {
    this.records.set(record.tokenId, structuredClone(record));
  }
}
