/**
 * The HTTP API's dispatcher: a request (already routed and authenticated, as API Gateway
 * hands it over) → a response. Pure of AWS: what the routes read and write are ports
 * (shared/ports/api.ts); functions/api/handler.ts maps API Gateway's events onto this,
 * and the local HTTP adapter (infra/local/http-api.ts) builds those same events.
 *
 * Authorization happens here, per route: the role must be among the route's roles; a
 * village only ever reaches its own unit (its uploads, its submissions, its keys), which
 * the handlers see to.
 */
import { ROLE_NAMES } from '../auth/roles.ts';
import { stillValid, TokenError, tokenErrors } from '../auth/tokens.ts';
import type { ApiDeps } from '../ports/api.ts';
import { apiErrors } from './errors.ts';
import { errorResponse, type ApiRequest, type ApiResponse, type Authenticated } from './http.ts';

export async function handleRequest(request: ApiRequest, deps: ApiDeps, log?: (internal: unknown) => void): Promise<ApiResponse> {
  try {
    const { route } = request;
    if (route.auth === 'public') return await route.serve(request, deps);
    const caller = authenticated(request);
    if (!route.roles.includes(caller.principal.role)) throw apiErrors.roleForbidden(ROLE_NAMES[caller.principal.role], route.refusal);
    if (route.fresh) await recheck(caller, deps);
    return await route.serve(request, deps, caller);
  } catch (error) {
    return errorResponse(error, log);
  }
}

/**
 * The caller's token as the store holds it now: revoked or expired since the authorizer's
 * cached answer is refused. A caller without a token id did not come through a token (the
 * api function always carries it from the authorizer's context): refused too.
 */
async function recheck(caller: Authenticated, deps: ApiDeps): Promise<void> {
  const record = caller.tokenId ? await deps.tokens.get(caller.tokenId) : undefined;
  if (!record) throw tokenErrors.unknown('no-such-token');
  stillValid(record, deps.now());
}

function authenticated({ caller }: ApiRequest): Authenticated {
  if (caller.kind === 'refused') throw new TokenError(caller.code, caller.message);
  if (caller.kind === 'anonymous') throw tokenErrors.missing();
  return caller;
}
