/**
 * API Gateway's own answers, before or instead of the api function: no Authorization header
 * (401, the authorizer is not even invoked), throttling (429), a request over the payload
 * limit (413), a function that failed (500). An HTTP API (apigatewayv2) cannot customise
 * them, so they keep the gateway's `{"message": …}` rather than the API's `{code, message}`
 * (infra/local/http-api.ts answers them as AWS does).
 */
import * as z from 'zod/mini';
import { meta } from './meta.ts';

export const GatewayErrorBody = meta(
  z.object({ message: meta(z.string(), { description: 'API Gateway 的英文说明', examples: ['Unauthorized'] }) }),
  { id: 'GatewayError', description: 'API Gateway 自己的回答（不是本接口的 {code, message}）' },
);

/** What the gateway says with each status it answers by itself. */
export const GATEWAY_MESSAGES = {
  401: 'Unauthorized',
  403: 'Forbidden',
  413: 'Request Entity Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
} as const;
