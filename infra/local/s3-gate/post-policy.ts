/**
 * The POST policy as S3 reads it (AWS's "POST Policy", sigv4-HTTPPOSTConstructPolicy): a
 * base64 JSON document with an `expiration` and `conditions`, each an exact match
 * (`{"acl": "public-read"}` or `["eq", "$acl", "public-read"]`), a prefix
 * (`["starts-with", "$key", "incoming/"]`) or the file's size (`["content-length-range", 1, 1024]`).
 * A POST holds when the policy has not expired, every condition holds on the form's fields,
 * and every field is covered by a condition. Pure: the clock, fields and byte count are given.
 */
import * as z from 'zod';
import { accepted, entityTooLarge, entityTooSmall, invalidPolicy, policyDenied, refused, type Checked, type S3Refusal } from './refusal.ts';

export interface FormField {
  /** As the form wrote it (S3 quotes it so in its messages). */
  readonly name: string;
  readonly value: string;
}

/** The fields before the file, by lower-case name: S3 compares field names without case. */
export type FormFields = ReadonlyMap<string, FormField>;

type Condition =
  | { readonly kind: 'eq' | 'starts-with'; readonly field: string; readonly value: string; readonly text: string }
  | { readonly kind: 'content-length-range'; readonly min: number; readonly max: number };

export interface PostPolicy {
  readonly expiration: Date;
  readonly conditions: readonly Condition[];
}

/** The file's allowed size in bytes, both bounds included. */
export interface SizeRange {
  readonly min: number;
  readonly max: number;
}

export interface PolicyRequest {
  /** The bucket the POST is addressed to: a `bucket` condition is checked against it, whatever a field says. */
  readonly bucket: string;
  readonly fields: FormFields;
  readonly now: Date;
  /** The size bound when no content-length-range narrows it. */
  readonly maxFileBytes: number;
}

/** Fields that no condition needs to cover (besides x-ignore-*). */
const EXEMPT_FIELDS = new Set(['policy', 'x-amz-signature', 'file']);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const ISO_8601_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const PolicyDocument = z.object({ expiration: z.string(), conditions: z.array(z.unknown()) });

/** The policy field decoded and its shape checked; a malformed policy is InvalidPolicyDocument. */
export function decodePolicy(base64: string): Checked<PostPolicy> {
  const json = decodeJsonObject(base64);
  if (json === undefined) return refused(invalidPolicy('Invalid JSON.'));
  if (!('expiration' in json)) return refused(invalidPolicy('Policy missing expiration.'));
  if (!('conditions' in json)) return refused(invalidPolicy('Policy missing conditions.'));
  const parsed = PolicyDocument.safeParse(json);
  if (!parsed.success) return refused(invalidPolicy('Invalid JSON.'));
  const { expiration, conditions } = parsed.data;
  const expires = ISO_8601_UTC.test(expiration) ? new Date(expiration) : new Date(NaN);
  if (Number.isNaN(expires.getTime())) return refused(invalidPolicy(`Invalid 'expiration' value: '${expiration}'`));
  const parsedConditions: Condition[] = [];
  for (const raw of conditions) {
    const condition = parseCondition(raw);
    if (condition === undefined) return refused(invalidPolicy(`Invalid Condition: ${JSON.stringify(raw)}`));
    parsedConditions.push(condition);
  }
  return accepted({ expiration: expires, conditions: parsedConditions });
}

function decodeJsonObject(base64: string): object | undefined {
  if (!BASE64.test(base64)) return undefined;
  try {
    const json: unknown = JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
    return json !== null && typeof json === 'object' && !Array.isArray(json) ? json : undefined;
  } catch {
    return undefined;
  }
}

/** How S3 quotes a failed condition: `["eq", "$key", "incoming/V03/x.csv"]`. */
const conditionText = (op: string, field: string, value: string) =>
  `[${[op, `$${field}`, value].map((part) => JSON.stringify(part)).join(', ')}]`;

function parseCondition(raw: unknown): Condition | undefined {
  if (Array.isArray(raw)) return parseListCondition(raw);
  if (raw === null || typeof raw !== 'object') return undefined;
  // `{"acl": "public-read"}`: an exact match on one field.
  const entries = Object.entries(raw);
  const [entry] = entries;
  if (entries.length !== 1 || !entry || typeof entry[1] !== 'string') return undefined;
  return { kind: 'eq', field: entry[0].toLowerCase(), value: entry[1], text: conditionText('eq', entry[0], entry[1]) };
}

function parseListCondition(raw: readonly unknown[]): Condition | undefined {
  const [op, first, second] = raw;
  if (raw.length !== 3 || typeof op !== 'string') return undefined;
  const operator = op.toLowerCase();
  if (operator === 'content-length-range') {
    const min = sizeBound(first);
    const max = sizeBound(second);
    return min === undefined || max === undefined ? undefined : { kind: 'content-length-range', min, max };
  }
  if (
    (operator !== 'eq' && operator !== 'starts-with') ||
    typeof first !== 'string' ||
    !first.startsWith('$') ||
    typeof second !== 'string'
  )
    return undefined;
  const field = first.slice(1);
  return { kind: operator, field: field.toLowerCase(), value: second, text: conditionText(operator, field, second) };
}

/** A size in bytes, written as a number or as a string of digits. */
function sizeBound(value: unknown): number | undefined {
  const bound = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(bound) && bound >= 0 ? bound : undefined;
}

/** The policy against the form: not expired, every condition held, every field covered; yields the file's size range. */
export function checkPolicy(policy: PostPolicy, request: PolicyRequest): Checked<SizeRange> {
  if (policy.expiration.getTime() <= request.now.getTime()) return refused(policyDenied('Policy expired.'));
  let size: SizeRange = { min: 0, max: request.maxFileBytes };
  const covered = new Set<string>();
  for (const condition of policy.conditions) {
    if (condition.kind === 'content-length-range') {
      // Several ranges all apply: their intersection.
      size = { min: Math.max(size.min, condition.min), max: Math.min(size.max, condition.max) };
      continue;
    }
    covered.add(condition.field);
    if (!holds(condition, request)) return refused(policyDenied(`Policy Condition failed: ${condition.text}`));
  }
  const extra = [...request.fields]
    .filter(([name]) => !EXEMPT_FIELDS.has(name) && !name.startsWith('x-ignore-') && !covered.has(name))
    .map(([, field]) => field.name);
  if (extra.length > 0) return refused(policyDenied(`Extra input fields: ${extra.join(', ')}`));
  return accepted(size);
}

function holds(condition: Extract<Condition, { field: string }>, request: PolicyRequest): boolean {
  const actual = condition.field === 'bucket' ? request.bucket : request.fields.get(condition.field)?.value;
  if (actual === undefined) return false;
  if (condition.kind === 'eq') return actual === condition.value;
  // A Content-Type with commas is a list: each of its types must start with the prefix.
  const values = condition.field === 'content-type' ? actual.split(',').map((type) => type.trim()) : [actual];
  return values.every((value) => value.startsWith(condition.value));
}

/**
 * The file's bytes against its range: too large as soon as the count passes the maximum
 * (so reading can stop there), too small only once the file is `complete`.
 */
export function checkFileSize(size: SizeRange, received: number, complete: boolean): S3Refusal | undefined {
  if (received > size.max) return entityTooLarge(received, size.max);
  if (complete && received < size.min) return entityTooSmall(received, size.min);
  return undefined;
}
