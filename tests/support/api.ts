/**
 * Helpers for tests of the HTTP API on the run's local stack: requests with a bearer
 * token, uploads by presigned POST (the form as the API returned it, or tampered with),
 * a first admin token (issued as `cunbao token issue` does: straight into the table),
 * and what lies under a prefix of the bucket (to show that nothing was written).
 */
import { inject } from 'vitest';
import { DynamoTokens } from '../../shared/adapters/dynamodb-tokens.ts';
import type { Principal } from '../../shared/auth/principals.ts';
import { issueToken } from '../../shared/auth/tokens.ts';
import type { StackHandle } from './stack.ts';

export interface ApiAnswer<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body as sent (text() drops a UTF-8 BOM, as WHATWG decoding does). */
  readonly bytes: Uint8Array;
  readonly json: T;
}

/** Whether a body starts with the UTF-8 byte order mark (what Excel needs to read UTF-8). */
export function hasBom(bytes: Uint8Array): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/** The API's base URL (the local API Gateway of the run's stack). */
export function apiUrl(): string {
  return inject('stack').api;
}

export async function call<T = Record<string, unknown>>(
  path: string,
  options: { token?: string; method?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`${apiUrl()}${path}`, {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    // CSV, HTML: the text is the answer.
  }
  return { status: response.status, headers: response.headers, text, bytes, json: json as T };
}

/** A token issued straight into the stack's table (how the first admin token is made), at `now`. */
export async function tokenFor(stack: StackHandle, principal: Principal, options: { now?: Date; expiresAt?: Date } = {}): Promise<string> {
  const now = options.now ?? new Date('2025-04-03T01:00:00Z');
  const expiresAt = options.expiresAt ?? new Date(now.getTime() + 30 * 86_400_000);
  const { token } = await issueToken({ principal, expiresAt }, new DynamoTokens(stack.dynamodb, stack.table), now);
  return token;
}

export interface CreatedUpload {
  readonly uploadId: string;
  readonly key: string;
  readonly url: string;
  readonly fields: Record<string, string>;
  readonly expiresAt: string;
  readonly maxBytes: number;
}

/** Sends a file by presigned POST, as a browser form does: the fields in order, the file last. */
export async function postForm(
  form: Pick<CreatedUpload, 'url' | 'fields'>,
  bytes: Uint8Array | string,
  change: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  const data = new FormData();
  for (const [name, value] of Object.entries({ ...form.fields, ...change })) data.append(name, value);
  data.append('file', new Blob([typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes]), 'file');
  const response = await fetch(form.url, { method: 'POST', body: data });
  return { status: response.status, text: await response.text() };
}

/** Keys under a prefix of the stack's bucket. */
export async function keysUnder(stack: StackHandle, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of stack.store.objects(prefix)) keys.push(object.key);
  return keys;
}
