/**
 * Feishu (飞书): its answers, its checks (signature, keyword, size, shape) and its limits
 * (the server, its routes and its faults: infra/local/webhook-sink.ts).
 *
 * What is verified (refusal → answer):
 * Feishu: the token (→ 19001); the body ≤ 20 KB = 20 480 bytes and valid JSON (→ 9499 "Bad
 * Request", as documented: "请求体大小不能超过20k"); with a signing secret, body fields
 * `timestamp` (seconds; a string, or a number) within one hour of now and `sign` =
 * base64(HmacSHA256(key = timestamp + "\n" + secret, message = empty)) — the key is the
 * string-to-sign, unlike DingTalk (→ 19021); msg_type (→ 19002): text (content.text),
 * post (content.post), interactive (card), share_chat (content.share_chat_id), image
 * (content.image_key), its content missing → 9499; with a keyword, the keyword in any
 * string of the message content or card (→ 19024 "Key Words Not Found"). Note: public
 * code also recorded 9499 with msg "frequency limited …" / "too many request": on the
 * live API 9499 is not only a client error, its msg tells which.
 *
 *
 * Rate limit:
 * Feishu 100 a minute and 5 a second (documented: "单租户单机器人 100 次/分钟，5 次/秒"; not
 * 20) → 11232 "frequency limited psm[lark.oapi.app_platform_runtime]appID[1500]" (the body
 * recorded in public code; appID[1500] there, not [-1]).
 */
import { createHmac } from 'node:crypto';
import {
  type Check,
  HOUR_MS,
  isRecord,
  type Json,
  nonEmpty,
  type Platform,
  parseJson,
  type SinkRequest,
  sameSignature,
} from './protocol.ts';

/** Every string in a value (not its keys): what Feishu's keyword check reads. */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (isRecord(value)) return Object.values(value).flatMap(stringsOf);
  return [];
}

const FEISHU_MAX_BODY_BYTES = 20 * 1024;
const feishuError = (code: number, msg: string): Json => ({ code, data: {}, msg });
const FEISHU_SIGN_FAIL = feishuError(19021, 'sign match fail or timestamp is not within one hour from current time');

const feishuSignatureRefusal = (secret: string, body: Json, request: SinkRequest): Json | null => {
  const given = body.timestamp;
  const timestamp = typeof given === 'number' && Number.isSafeInteger(given) ? String(given) : typeof given === 'string' ? given : '';
  const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
  // Seconds: a millisecond timestamp is a date far in the future, and fails here.
  if (!(Math.abs(request.now.getTime() / 1000 - seconds) <= HOUR_MS / 1000)) return FEISHU_SIGN_FAIL;
  const expected = createHmac('sha256', `${timestamp}\n${secret}`).update(Buffer.alloc(0)).digest('base64');
  return sameSignature(expected, typeof body.sign === 'string' ? body.sign : null) ? null : FEISHU_SIGN_FAIL;
};

/** Where each msg_type's content is, and the field it cannot do without. */
const FEISHU_CONTENT: Readonly<Record<string, (body: Json) => boolean>> = {
  text: (body) => isRecord(body.content) && nonEmpty(body.content.text),
  post: (body) => isRecord(body.content) && isRecord(body.content.post),
  interactive: (body) => isRecord(body.card),
  share_chat: (body) => isRecord(body.content) && nonEmpty(body.content.share_chat_id),
  image: (body) => isRecord(body.content) && nonEmpty(body.content.image_key),
};

const checkFeishu: Check = (robot, request) => {
  if (request.raw.length > FEISHU_MAX_BODY_BYTES) return feishuError(9499, 'Bad Request');
  const body = parseJson(request.raw);
  if (!isRecord(body)) return feishuError(9499, 'Bad Request');
  if (robot.signingSecret) {
    const refusal = feishuSignatureRefusal(robot.signingSecret, body, request);
    if (refusal) return refusal;
  }
  const type = body.msg_type;
  if (!nonEmpty(type)) return feishuError(19002, 'params error, msg_type need');
  const hasContent = FEISHU_CONTENT[type];
  if (!hasContent) return feishuError(19002, 'param invalid: msg_type');
  if (!hasContent(body)) return feishuError(9499, 'Bad Request');
  if (robot.keyword && !stringsOf([body.content, body.card]).some((text) => text.includes(robot.keyword!))) {
    return feishuError(19024, 'Key Words Not Found');
  }
  return null;
};

export const feishu: Platform = {
  limits: { perMinute: 100, perSecond: 5, blockMs: 0, countsRefused: false },
  // The live success answer still carries the legacy StatusCode / StatusMessage fields.
  ok: { StatusCode: 0, StatusMessage: 'success', code: 0, data: {}, msg: 'success' },
  unknownToken: () => feishuError(19001, 'param invalid: incoming webhook access token invalid'),
  rateLimited: () => feishuError(11232, 'frequency limited psm[lark.oapi.app_platform_runtime]appID[1500]'),
  busy: () => feishuError(1500, 'internal error'),
  check: checkFeishu,
};
