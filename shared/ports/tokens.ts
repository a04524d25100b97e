/**
 * The credential store: token records (hashes only, never a token) and the store's
 * operations (DynamoDB: shared/adapters/dynamodb-tokens.ts). What is done with them —
 * issue, verify, revoke, the list's order and cursor — is shared/auth/tokens.ts.
 */
import type { Role } from '../auth/roles.ts';

/** What may be shown of a token: never its secret, never its hash. */
export interface TokenInfo {
  readonly tokenId: string;
  readonly role: Role;
  /** For a village token only: its unit's full code (`EC/V03`). */
  readonly unit?: string;
  /** For a town token only: its town's code. */
  readonly town?: string;
  /** ISO-8601 instants (UTC). */
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly revokedAt?: string;
  /** Who holds it, for the administrator (e.g. “石柱村 张书记 手机”). */
  readonly note?: string;
}

/** What is stored: the info and the secret's hash. */
export interface TokenRecord extends TokenInfo {
  readonly hash: string;
}

export interface TokenPage {
  readonly tokens: readonly TokenInfo[];
  /** Where the next page starts; absent on the last page. */
  readonly cursor?: string;
}

export interface Revocation {
  readonly info: TokenInfo;
  /** True when the token had been revoked before: its first revocation time is kept. */
  readonly alreadyRevoked: boolean;
}

export interface TokenStore {
  /**
   * Stores a new record; false when its token id is taken (nothing is written then). With
   * `minter`, only while that token exists unrevoked, in the same write: a revocation that
   * lands between the minter's check and this write refuses the mint (TOKEN_REVOKED).
   */
  put(record: TokenRecord, minter?: string): Promise<boolean>;
  /** The record of a token id (read consistently: a token works as soon as it is issued). */
  get(tokenId: string): Promise<TokenRecord | undefined>;
  /** Tokens in the order they were created, a page at a time (no hashes). */
  list(page?: { readonly limit?: number; readonly cursor?: string }): Promise<TokenPage>;
  /** Marks a token revoked at `at` (a second revocation keeps the first time); TOKEN_UNKNOWN if there is none. */
  revoke(tokenId: string, at: string): Promise<Revocation>;
}
