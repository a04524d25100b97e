/**
 * The revocation race on the run's stack, through the local API Gateway and its authorizer
 * cache as wired (60 s): an admin token is used (its answer cached), revoked, then used at
 * once to mint a year-long admin token — refused (TOKEN_REVOKED), nothing minted; a route
 * that mints and lists nothing still takes the cached answer for the rest of the minute,
 * which the wiring documents.
 */
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseToken } from '../../shared/auth/tokens.ts';
import { call, tokenFor } from '../support/api.ts';
import { connectStack, type StackHandle } from '../support/stack.ts';

let stack: StackHandle;

beforeAll(() => {
  stack = connectStack();
});

afterAll(() => stack?.close());

describe('revoking an admin token', () => {
  it('ends its power to mint, list and revoke at once, within the authorizer’s cache minute', async () => {
    // Prepare: the token used once (the gateway now holds its answer), then revoked by another admin
    const revoked = await tokenFor(stack, { role: 'admin' });
    const other = await tokenFor(stack, { role: 'admin' });
    expect((await call('/v1/me', { token: revoked })).status).toBe(200);
    const { tokenId } = parseToken(revoked);
    expect((await call(`/v1/tokens/${tokenId}`, { token: other, method: 'DELETE' })).status).toBe(200);

    // Act
    const mint = await call<{ code: string }>('/v1/tokens', { token: revoked, body: { role: 'admin', expires: '365d', note: '撤销后' } });
    const list = await call<{ code: string }>('/v1/tokens', { token: revoked });
    const me = await call('/v1/me', { token: revoked });

    // Assess
    expect([mint.status, mint.json.code]).toEqual([401, 'TOKEN_REVOKED']);
    expect([list.status, list.json.code]).toEqual([401, 'TOKEN_REVOKED']);
    // /v1/me reads no credential: the cached answer stands until the minute is over.
    expect(me.status).toBe(200);
    const minted = await stack.dynamodb.send(
      new QueryCommand({
        TableName: stack.table,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :p',
        FilterExpression: 'note = :n',
        ExpressionAttributeValues: { ':p': { S: 'TOKENS' }, ':n': { S: '撤销后' } },
      }),
    );
    expect(minted.Items ?? []).toEqual([]);
  });
});
