/**
 * The api function's reading of API Gateway's event: who the caller is, from the Lambda
 * authorizer's context or (with DISTRICT_AUTH=iam, on the district's routes) from IAM.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../shared/api/routes.ts';

type CallerOf = typeof import('../../functions/api/handler.ts').callerOf;
let callerOf: CallerOf;

beforeAll(async () => {
  // The module reads its environment at import (cold start) and makes its SDK clients (no call yet).
  Object.assign(process.env, {
    TABLE_NAME: 't',
    BUCKET_NAME: 'b',
    AWS_REGION: 'cn-northwest-1',
    MAIL_TRANSPORT: 'ses',
    MAIL_FROM: 'cunbao@ec.test',
    MAIL_TO_TOWN: 'clerk@ec.test',
  });
  ({ callerOf } = await import('../../functions/api/handler.ts'));
});

const NOW = new Date('2025-04-03T01:00:00Z');
const route = (name: string) => {
  const found = ROUTES.find((r) => r.name === name);
  if (!found) throw new Error(`no route ${name}`);
  return found;
};
const event = (authorizer: unknown) => ({ requestContext: { authorizer } }) as unknown as APIGatewayProxyEventV2;

describe('callerOf', () => {
  it('takes the principal and its node from the authorizer’s context', () => {
    const village = callerOf(
      event({ lambda: { role: 'village', unit: 'EC/V03', town: '', tokenId: 'abc', expiresAt: '2025-05-01T00:00:00Z' } }),
      route('createUpload'),
      NOW,
      'token',
    );
    const town = callerOf(
      event({ lambda: { role: 'town', unit: '', town: 'SH', tokenId: 'def', expiresAt: '2025-05-01T00:00:00Z' } }),
      route('orgCompleteness'),
      NOW,
      'token',
    );
    expect(village).toEqual({
      kind: 'principal',
      principal: { role: 'village', unit: 'EC/V03' },
      tokenId: 'abc',
      expiresAt: '2025-05-01T00:00:00Z',
    });
    expect(town).toMatchObject({ kind: 'principal', principal: { role: 'town', town: 'SH' }, tokenId: 'def' });
  });

  it('passes the authorizer’s refusal on, with its code and message', () => {
    const caller = callerOf(event({ lambda: { refused: 'TOKEN_REVOKED', message: '凭证已被撤销' } }), route('me'), NOW, 'token');
    expect(caller).toEqual({ kind: 'refused', code: 'TOKEN_REVOKED', message: '凭证已被撤销' });
  });

  it('refuses a token that expired after the authorizer’s answer was cached', () => {
    const caller = callerOf(
      event({ lambda: { role: 'town', unit: '', town: 'EC', tokenId: 'abc', expiresAt: '2025-04-03T00:59:59Z' } }),
      route('me'),
      NOW,
      'token',
    );
    expect(caller).toMatchObject({ kind: 'refused', code: 'TOKEN_EXPIRED' });
  });

  it('makes an IAM caller the district on the district’s routes only, and only when deployed so', () => {
    const iam = event({ iam: { userArn: 'arn:aws-cn:iam::123456789012:role/district-reader' } });
    expect(callerOf(iam, route('monthlySummary'), NOW, 'iam')).toEqual({ kind: 'principal', principal: { role: 'district' } });
    expect(callerOf(iam, route('createUpload'), NOW, 'iam')).toEqual({ kind: 'anonymous' });
    expect(callerOf(iam, route('monthlySummary'), NOW, 'token')).toEqual({ kind: 'anonymous' });
  });

  it.each([
    ['a village without its unit', { role: 'village', unit: '' }],
    ['a village with a short code (a round-1 token)', { role: 'village', unit: 'V03' }],
    ['a town without its town (a round-1 token)', { role: 'town', unit: '' }],
  ])('never authorises from a damaged context: %s', (_what, fields) => {
    expect(() =>
      callerOf(event({ lambda: { ...fields, tokenId: 'abc', expiresAt: '2026-01-01T00:00:00Z' } }), route('me'), NOW, 'token'),
    ).toThrow();
  });
});
