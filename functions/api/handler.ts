/**
 * The HTTP API (API Gateway HTTP API, payload format 2.0): the route key and path
 * parameters come from API Gateway, the caller from the authorizer's context (or from IAM
 * on the district's routes when deployed with DISTRICT_AUTH=iam). The core answers.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { DynamoLedger } from '../../shared/adapters/dynamodb-ledger.ts';
import { DynamoReviews } from '../../shared/adapters/dynamodb-reviews.ts';
import { DynamoSummaries } from '../../shared/adapters/dynamodb-summaries.ts';
import { DynamoTokens } from '../../shared/adapters/dynamodb-tokens.ts';
import { S3ObjectStore } from '../../shared/adapters/s3-object-store.ts';
import { handleRequest } from '../../shared/api/app.ts';
import { apiErrors } from '../../shared/api/errors.ts';
import { errorResponse, type Caller } from '../../shared/api/http.ts';
import { ROUTES, routeKey, type Route } from '../../shared/api/routes.ts';
import { SummaryCache } from '../../shared/api/summary-cache.ts';
import { principalOf } from '../../shared/auth/principals.ts';
import { tokenErrors, type TokenErrorCode } from '../../shared/auth/tokens.ts';
import type { ApiDeps, UploadPresigner } from '../../shared/ports/api.ts';
import { mailConfig } from '../../shared/mail/config.ts';
import type { Mailer } from '../../shared/ports/mail.ts';
import { dynamodb, s3Client } from '../commons/clients.ts';
import { clockOf, FUNCTION_VARIABLES, MAIL_VARIABLES, readEnvironment } from '../commons/environment.ts';
import { errorField, invocationLog, logger } from '../commons/log.ts';
import { loadRegistry } from '../commons/registry.ts';
import { functionNotices } from '../commons/notices.ts';

/** Within the API's 10 s: two tries, a short backoff (the decision is written already). */
const RETURN_RETRY = { attempts: 2, baseMs: 300, rateLimitWaitMs: 1_000, maxWaitMs: 1_000 } as const;

const env = readEnvironment(FUNCTION_VARIABLES.api);
const log = logger(env.LOG_LEVEL, { function: 'api' });
// The mail's own variables (strings; UPLOAD_MAX_BYTES, a number, is not one of them).
const mail = mailConfig(Object.fromEntries(MAIL_VARIABLES.map((name) => [name, env[name]])));
const s3 = s3Client(env);
const store = new S3ObjectStore(s3, env.BUCKET_NAME);
const ledger = new DynamoLedger(dynamodb, env.TABLE_NAME);
const archive = new DynamoSummaries(dynamodb, env.TABLE_NAME, store);
const notices = functionNotices(env, dynamodb, { timeoutMs: 3_000, retry: RETURN_RETRY });
let mailer: Promise<Mailer> | undefined;
const now = clockOf(env);
let presigner: Promise<UploadPresigner> | undefined;

/** The upload route's presigner, its package loaded by the first upload asked for (no other route signs). */
const presignUpload: UploadPresigner['presign'] = async (input) => {
  presigner ??= import('../../shared/adapters/s3-presigner.ts').then(({ S3Presigner }) => new S3Presigner(s3, env.BUCKET_NAME));
  return (await presigner).presign(input);
};

/** The clerk's publish button: the scheduled publisher for one month, its mail made on first use. */
const publishSummary: NonNullable<ApiDeps['publishSummary']> = async (org, period, registry) => {
  const [{ publish }, { summaryMail }, { functionMailer }] = await Promise.all([
    import('../../shared/publish/publish.ts'),
    import('../../shared/mail/summary-email.ts'),
    import('../commons/mailer.ts'),
  ]);
  mailer ??= functionMailer(mail);
  const recipients = { from: mail.from, ...mail.recipients };
  const mailing = { mailer: await mailer, recipients, compose: summaryMail };
  return publish(
    'monthly',
    period,
    { reader: ledger, archive, store, registry, now, mail: mailing, notices: await notices(registry) },
    org,
  );
};

const deps: ApiDeps = {
  ledger,
  reviews: new DynamoReviews(dynamodb, env.TABLE_NAME),
  store,
  summaries: archive,
  tokens: new DynamoTokens(dynamodb, env.TABLE_NAME),
  presigner: { presign: presignUpload },
  registry: () => loadRegistry(store, env.UNITS_KEY),
  now,
  // The page's HTML is a module of its own, read by the first GET / (no other route serves it).
  page: async () => (await import('../../shared/web/page.ts')).loadPage(),
  summaryCache: new SummaryCache(),
  ...(env.UPLOAD_MAX_BYTES ? { maxFileBytes: env.UPLOAD_MAX_BYTES } : {}),
  // Loaded on the first return: no other route tells anyone.
  notifyReturn: async (returned, registry) => {
    const { notifyReturn } = await import('../../shared/notices/returned.ts');
    return notifyReturn(returned, registry, await notices(registry));
  },
  publishSummary,
};
const routes = new Map<string, Route>(ROUTES.map((r) => [routeKey(r), r]));

const LambdaContext = z.union([
  z.object({ role: z.string(), unit: z.string(), town: z.optional(z.string()), tokenId: z.string(), expiresAt: z.string() }),
  z.object({ refused: z.string(), message: z.string() }),
]);

/**
 * Who is calling, from what API Gateway established before invoking: the authorizer's
 * context, or (DISTRICT_AUTH=iam, on the district's routes only) an IAM principal.
 */
export function callerOf(event: APIGatewayProxyEventV2, route: Pick<Route, 'auth'>, now: Date, districtAuth: 'token' | 'iam'): Caller {
  const authorizer = (event.requestContext as { authorizer?: { lambda?: unknown; iam?: { userArn?: string } } }).authorizer;
  if (authorizer?.iam && route.auth === 'reader' && districtAuth === 'iam') return { kind: 'principal', principal: { role: 'district' } };
  if (!authorizer?.lambda) return { kind: 'anonymous' };
  const context = LambdaContext.parse(authorizer.lambda);
  if ('refused' in context) return { kind: 'refused', code: context.refused as TokenErrorCode, message: context.message };
  // The authorizer's answer is cached: a token that expired since is refused here.
  if (now.getTime() >= Date.parse(context.expiresAt)) {
    const expired = tokenErrors.expired(context.expiresAt);
    return { kind: 'refused', code: expired.code, message: expired.message };
  }
  return {
    kind: 'principal',
    principal: principalOf({
      role: context.role,
      ...(context.unit ? { unit: context.unit } : {}),
      ...(context.town ? { town: context.town } : {}),
    }),
    tokenId: context.tokenId,
    expiresAt: context.expiresAt,
  };
}

function defined(map: Record<string, string | undefined> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(map ?? {}).filter((e): e is [string, string] => e[1] !== undefined));
}

export const handler = async (event: APIGatewayProxyEventV2, context?: Context): Promise<APIGatewayProxyResultV2> => {
  const route = routes.get(event.routeKey);
  // The gateway's request id (what the caller's x-amzn-requestid says) and the route on every line.
  const request = invocationLog(log, context).with({ routeKey: event.routeKey, apiRequestId: event.requestContext.requestId });
  const report = (internal: unknown) => request('error', 'api request failed', { error: errorField(internal) });
  const response = route
    ? await handleRequest(
        {
          route,
          pathParameters: defined(event.pathParameters),
          query: defined(event.queryStringParameters),
          headers: Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v ?? ''])),
          ...(event.body !== undefined ? { body: event.body } : {}),
          isBase64Encoded: event.isBase64Encoded,
          caller: (() => {
            try {
              return callerOf(event, route, deps.now(), env.DISTRICT_AUTH);
            } catch (error) {
              report(error);
              return { kind: 'anonymous' } as const;
            }
          })(),
        },
        deps,
        report,
      )
    : errorResponse(apiErrors.notFound());
  request('info', 'api', { status: response.status, ...(response.correlationId ? { correlationId: response.correlationId } : {}) });
  return {
    statusCode: response.status,
    headers: response.headers,
    body: response.body,
    isBase64Encoded: response.isBase64Encoded ?? false,
  };
};
