/** The JSON body of a request, as a route with a body schema reads it before parsing. */
import { apiErrors } from './errors.ts';
import type { ApiRequest } from './http.ts';
import { MAX_BODY_BYTES } from './schemas.ts';

/** The request's JSON body, within the size limit; BODY_INVALID when it is not JSON. */
export function readJson(request: Pick<ApiRequest, 'body' | 'isBase64Encoded'>): unknown {
  const raw = request.body ?? '';
  const text = request.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw apiErrors.bodyTooLarge(MAX_BODY_BYTES);
  if (text.trim() === '') throw apiErrors.bodyInvalid('请求内容为空');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw apiErrors.bodyInvalid(error instanceof Error ? error.message : String(error));
  }
}
