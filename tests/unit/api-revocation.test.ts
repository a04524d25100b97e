/**
 * Revocation that ends access (docs/DOMAIN.md#roles): the credential routes read the
 * caller's token again instead of trusting the authorizer's cached answer, so an admin token
 * revoked within its cache minute can no longer mint, list or revoke; a bad list cursor is
 * a 400 naming the parameter, not a 500.
 */
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../shared/auth/principals.ts';
import { revokeToken } from '../../shared/auth/tokens.ts';
import { memoryApi, refusal } from '../support/memory-api.ts';

const ADMIN: Principal = { role: 'admin' };

describe('the credential routes re-check the caller’s token', () => {
  it('refuses a revoked admin token minting, though the authorizer’s cached answer still lets it through', async () => {
    // Prepare: the cached answer (the caller as the authorizer gave it), then the revocation
    const { call, deps, tokenCaller } = memoryApi();
    const admin = await tokenCaller(ADMIN);
    if (admin.kind !== 'principal') throw new Error('not a principal');
    await revokeToken(admin.tokenId!, deps.tokens, deps.now());

    // Act
    const mint = await call('issueToken', admin, { body: { role: 'admin', expires: '365d' } });
    const list = await call('listTokens', admin);
    const revoke = await call('revokeToken', admin, { pathParameters: { tokenId: admin.tokenId! } });

    // Assess: refused, and nothing minted
    expect([refusal(mint), refusal(list), refusal(revoke)]).toEqual([
      { status: 401, code: 'TOKEN_REVOKED' },
      { status: 401, code: 'TOKEN_REVOKED' },
      { status: 401, code: 'TOKEN_REVOKED' },
    ]);
    expect((await deps.tokens.list()).tokens).toHaveLength(1);
  });

  it('refuses the mint when the revocation lands after the re-check, before the write', async () => {
    // Prepare: the re-check reads the token as it stood; another admin revokes it right after.
    const { call, deps, tokenCaller } = memoryApi();
    const admin = await tokenCaller(ADMIN);
    if (admin.kind !== 'principal') throw new Error('not a principal');
    const tokens = deps.tokens;
    const get = tokens.get.bind(tokens);
    tokens.get = async (tokenId) => {
      const read = await get(tokenId);
      await revokeToken(tokenId, tokens, deps.now());
      return read;
    };

    // Act
    const mint = await call('issueToken', admin, { body: { role: 'admin', expires: '365d' } });

    // Assess: the write saw the revocation
    expect(refusal(mint)).toEqual({ status: 401, code: 'TOKEN_REVOKED' });
    expect((await deps.tokens.list()).tokens).toHaveLength(1);
  });

  it('refuses a token that expired, and a caller with no token at all', async () => {
    // Prepare
    const api = memoryApi();
    const admin = await api.tokenCaller(ADMIN);
    const later = { ...api.deps, now: () => new Date(api.deps.now().getTime() + 2 * 86_400_000) };
    const { handleRequest } = await import('../../shared/api/app.ts');
    const { request } = await import('../support/memory-api.ts');

    // Act
    const expired = await handleRequest(request('listTokens', admin), later);
    const tokenless = await api.call('listTokens', ADMIN);

    // Assess
    expect(refusal(expired)).toEqual({ status: 401, code: 'TOKEN_EXPIRED' });
    expect(refusal(tokenless)).toEqual({ status: 401, code: 'TOKEN_UNKNOWN' });
  });

  it('lets a live admin token through, and leaves the routes that do not mint or list tokens to the cache', async () => {
    // Prepare
    const { call, tokenCaller } = memoryApi();
    const admin = await tokenCaller(ADMIN);

    // Act
    const list = await call('listTokens', admin);
    const units = await call('units', ADMIN);

    // Assess
    expect(list.status).toBe(200);
    expect(units.status).toBe(200);
  });
});

describe('GET /v1/tokens?cursor=', () => {
  it.each(['not-a-cursor', Buffer.from('2025-01-01#zz').toString('base64url')])('answers 400 PARAMETER_INVALID to %s', async (cursor) => {
    // Prepare
    const { call, tokenCaller } = memoryApi();
    const admin = await tokenCaller(ADMIN);

    // Act
    const answer = await call('listTokens', admin, { query: { cursor } });

    // Assess
    expect(refusal(answer)).toEqual({ status: 400, code: 'PARAMETER_INVALID' });
    expect(JSON.parse(answer.body).message).toContain('翻页位置（cursor）不正确');
  });
});
