/** Credentials: the administrator's desk, as `cunbao token` offers it. */
import { principalLabel, principalOf, requestedPrincipal } from '../../auth/principals.ts';
import {
  decodeCursor,
  issueToken as issue,
  noteOf,
  parseExpiry,
  revokeToken as revoke,
  TokenError,
  tokenStatus,
  type TokenInfo,
} from '../../auth/tokens.ts';
import { defineRoute } from '../define-route.ts';
import { apiErrors } from '../errors.ts';
import { json } from '../http.ts';
import * as S from '../schemas.ts';
import { ADMIN } from '../scope.ts';

export const issueToken = defineRoute({
  name: 'issueToken',
  fresh: true,
  method: 'POST',
  path: '/v1/tokens',
  auth: 'token',
  roles: ADMIN,
  refusal: '签发凭证（请联系管理员）',
  summary: '签发凭证（只显示这一次）',
  body: S.IssueTokenRequest,
  ok: { status: 201, json: 'IssuedTokenBody', description: '新凭证' },
  errors: [400, 413],
  handle: async ({ body, deps, caller }) => {
    const now = deps.now();
    const registry = await deps.registry();
    const note = noteOf(body.note);
    const issued = await issue(
      {
        principal: requestedPrincipal(body, registry),
        expiresAt: parseExpiry(body.expires, now),
        ...(note ? { note } : {}),
        // `fresh` read the caller's token before this; the write checks it again, atomically.
        ...(caller.tokenId ? { minter: caller.tokenId } : {}),
      },
      deps.tokens,
      now,
    );
    return json(201, { token: issued.token, info: tokenBody(issued.info, now) });
  },
});

export const listTokens = defineRoute({
  name: 'listTokens',
  fresh: true,
  method: 'GET',
  path: '/v1/tokens',
  auth: 'token',
  roles: ADMIN,
  refusal: '查看凭证列表',
  summary: '凭证列表（不含凭证本身）',
  query: S.TokenListQuery,
  ok: { status: 200, json: 'TokenListBody', description: '凭证列表' },
  errors: [400],
  handle: async ({ query, deps }) => {
    if (query.cursor !== undefined && !decodeCursor(query.cursor)) throw apiErrors.cursorInvalid();
    const page = await deps.tokens.list({
      ...(query.limit ? { limit: query.limit } : {}),
      ...(query.cursor ? { cursor: query.cursor } : {}),
    });
    const now = deps.now();
    return json(200, { tokens: page.tokens.map((t) => tokenBody(t, now)), ...(page.cursor ? { cursor: page.cursor } : {}) });
  },
});

export const revokeToken = defineRoute({
  name: 'revokeToken',
  fresh: true,
  method: 'DELETE',
  path: '/v1/tokens/{tokenId}',
  auth: 'token',
  roles: ADMIN,
  refusal: '撤销凭证',
  summary: '撤销凭证',
  params: { tokenId: S.TokenIdParam },
  ok: { status: 200, json: 'RevocationBody', description: '已撤销' },
  errors: [400, 404],
  handle: async ({ params: { tokenId }, deps }) => {
    const now = deps.now();
    try {
      const revocation = await revoke(tokenId, deps.tokens, now);
      return json(200, { info: tokenBody(revocation.info, now), alreadyRevoked: revocation.alreadyRevoked });
    } catch (error) {
      if (error instanceof TokenError && error.code === 'TOKEN_UNKNOWN') throw apiErrors.tokenNotFound(tokenId);
      throw error;
    }
  },
});

function tokenBody(info: TokenInfo, now: Date) {
  return { ...info, principal: principalLabel(principalOf(info)), status: tokenStatus(info, now) };
}
