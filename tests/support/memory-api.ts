/**
 * The API's ports in memory, for unit tests of the routes: what was recorded (intents),
 * signed (presigned forms) and published (per org), on a registry of choice — the
 * single town (config/units.json) or the sample district (config/district.json: EC, SH, HX).
 */
import { readFileSync } from 'node:fs';
import { handleRequest } from '../../shared/api/app.ts';
import type { ApiRequest, ApiResponse, Caller } from '../../shared/api/http.ts';
import { ROUTES, type RouteName } from '../../shared/api/routes.ts';
import type { Principal } from '../../shared/auth/principals.ts';
import { issueToken } from '../../shared/auth/tokens.ts';
import type { ApiDeps, UploadPresigner } from '../../shared/ports/api.ts';
import type { AuditEntry, CurrentSubmission } from '../../shared/ports/ledger.ts';
import type { ReviewStore } from '../../shared/ports/reviews.ts';
import type { Review } from '../../shared/review/review.ts';
import type { LatestRevision, SummaryKind } from '../../shared/ports/summaries.ts';
import { summaryKey } from '../../shared/publish/publish.ts';
import { Registry, townOf } from '../../shared/registry.ts';
import { sum } from '../../shared/rollup.ts';
import type { UploadIntent, UploadRecord } from '../../shared/uploads.ts';
import { MemoryTokens } from './memory-tokens.ts';

export type RegistryDocument = Record<string, unknown>;

export function registryDocument(file: 'units.json' | 'district.json'): RegistryDocument {
  return JSON.parse(readFileSync(new URL(`../../config/${file}`, import.meta.url), 'utf8')) as RegistryDocument;
}

/** A published summary as the archive holds it (the fields the API reads, and a few more). */
export interface StoredSummary {
  readonly org: string;
  readonly level: 'town' | 'district';
  readonly kind: SummaryKind;
  readonly period: string;
  readonly revision: number;
  readonly [field: string]: unknown;
}

export function memoryApi(document: RegistryDocument = registryDocument('district.json')) {
  const registry = Registry.parse(document);
  const intents: UploadIntent[] = [];
  const uploads = new Map<string, UploadRecord>();
  const objects = new Map<string, Uint8Array>();
  const presigned: Parameters<UploadPresigner['presign']>[0][] = [];
  const current: CurrentSubmission[] = [];
  const latest = new Map<string, LatestRevision>();
  /** Publishes a revision: its immutable object and the archive's pointer to it. */
  const publish = (summary: StoredSummary) => {
    objects.set(summaryKey(summary.org, summary.kind, summary.period, summary.revision), new TextEncoder().encode(JSON.stringify(summary)));
    latest.set(`${summary.org}/${summary.kind}/${summary.period}`, {
      revision: summary.revision,
      version: 1,
      hash: 'h',
      emailedRevision: 0,
    });
  };
  const deps: ApiDeps = {
    ledger: {
      getUpload: async (id) => uploads.get(id),
      putIntent: async (intent) => {
        intents.push(intent);
        uploads.set(intent.uploadId, { ...intent, status: 'pending' });
        return true;
      },
      currentSubmission: async (unit, period) => current.find((c) => c.unit === unit && c.period === period),
      versions: async () => [],
      currentOfMonth: async (period, town) => current.filter((c) => c.period === period && (town === undefined || townOf(c.unit) === town)),
      // The rollup is the exact sum of the current months (the ingest's invariant); its version their count.
      rollupWithVersion: async (org, scope, period) => {
        const counted = current.filter(
          (c) =>
            (scope === 'month' ? c.period === period : c.period.startsWith(period)) &&
            (org === registry.district?.code || townOf(c.unit) === org),
        );
        return { totals: sum(counted.map((c) => c.values)), version: counted.length };
      },
      unitYears: async (year, town) => {
        const units = new Map<string, CurrentSubmission[]>();
        for (const c of current)
          if (c.period.startsWith(`${year}-`) && (town === undefined || townOf(c.unit) === town))
            units.set(c.unit, [...(units.get(c.unit) ?? []), c]);
        return [...units].map(([unit, months]) => ({ unit, year, values: sum(months.map((m) => m.values)), rev: months.length }));
      },
    },
    reviews: memoryReviews(current),
    store: { get: async (key) => objects.get(key) },
    summaries: { latest: async (org, kind, period) => latest.get(`${org}/${kind}/${period}`) },
    presigner: {
      presign: async (input) => {
        presigned.push(input);
        return { url: 'https://bucket.example/', fields: { key: input.key } };
      },
    },
    tokens: new MemoryTokens(),
    registry: async () => registry,
    now: () => new Date('2025-04-03T01:00:00Z'),
    page: () => ({ html: '<!doctype html><title>村报</title>', csp: "default-src 'none'" }),
  };
  /** Calls a route by name as a principal, with its path parameters, query, body and headers. */
  const call = (
    name: RouteName,
    who: Principal | Caller,
    extra: Partial<Omit<ApiRequest, 'route' | 'caller' | 'body'>> & { body?: unknown } = {},
  ): Promise<ApiResponse> => {
    const { body, ...rest } = extra;
    return handleRequest(
      {
        ...request(name, 'kind' in who ? who : as(who), rest),
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      },
      deps,
    );
  };
  /**
   * A caller with a token of its own in the store (the credential routes read it again:
   * shared/api/app.ts `recheck`), as the authorizer would hand it over.
   */
  const tokenCaller = async (principal: Principal): Promise<Caller> => {
    const { info } = await issueToken({ principal, expiresAt: new Date(deps.now().getTime() + 86_400_000) }, deps.tokens, deps.now());
    return { kind: 'principal', principal, tokenId: info.tokenId, expiresAt: info.expiresAt };
  };
  return { registry, deps, intents, uploads, objects, presigned, current, publish, call, tokenCaller };
}

/** Review decisions in memory, conditional on the month's version and last decision as a DynamoDB transaction is. */
function memoryReviews(current: readonly CurrentSubmission[]): ReviewStore {
  const decisions: Review[] = [];
  const entries: AuditEntry[] = [];
  const find = (unit: string, period: string) => ({
    current: current.find((c) => c.unit === unit && c.period === period),
    review: decisions.find((r) => r.unit === unit && r.period === period),
  });
  return {
    month: async (unit, period) => find(unit, period),
    decide: async (next, seen, entry) => {
      const now = find(next.unit, next.period);
      if (now.current?.version !== seen.current?.version || now.review?.rev !== seen.review?.rev) return 'conflict';
      if (now.review) decisions.splice(decisions.indexOf(now.review), 1);
      decisions.push(next);
      entries.push(entry);
      return 'applied';
    },
    reviewsOfMonth: async (period, town) => decisions.filter((r) => r.period === period && (town === undefined || townOf(r.unit) === town)),
    unitMonths: async (unit, from, to) => ({
      current: current.filter((c) => c.unit === unit && c.period >= from && c.period <= to),
      reviews: decisions.filter((r) => r.unit === unit && r.period >= from && r.period <= to),
    }),
    trail: async (unit, period) => ({
      versions: [],
      entries: entries.filter((e) => e.unit === unit && e.period === period),
      ...find(unit, period),
    }),
  };
}

export const as = (principal: Principal): Caller => ({ kind: 'principal', principal });

export function request(name: RouteName, caller: Caller, extra: Partial<Omit<ApiRequest, 'route' | 'caller'>> = {}): ApiRequest {
  const route = ROUTES.find((r) => r.name === name);
  if (!route) throw new Error(`no route ${name}`);
  return { route, pathParameters: {}, query: {}, headers: {}, caller, ...extra };
}

/** A current submission of a unit's month, received at `receivedAt` (first and last). */
export function submission(unit: string, period: string, receivedAt: string, values: Record<string, number> = {}): CurrentSubmission {
  const uploadId = `up-${unit.replace('/', '-').toLowerCase()}-${period}`;
  return { unit, period, uploadId, order: receivedAt, receivedAt, firstReceivedAt: receivedAt, values, version: 1 };
}

/** An error answer's code and status. */
export function refusal(response: ApiResponse): { status: number; code: string } {
  return { status: response.status, code: (JSON.parse(response.body) as { code: string }).code };
}
