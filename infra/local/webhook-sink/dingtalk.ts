/**
 * DingTalk (钉钉): its answers, its checks (signature, keyword, size, shape) and its limits
 * (the server, its routes and its faults: infra/local/webhook-sink.ts).
 *
 * What is verified (refusal → answer):
 * DingTalk: the access_token (→ 300005 "token is not exist", what a random token got from
 * the live API in 2026; older public code recorded 300001, the docs say 400101); the body ≤ 20 000 bytes
 * (→ 460101); `Content-Type: application/json` (→ 43004: fetch with a string body sends
 * text/plain); with a signing secret, the signature: `timestamp` in milliseconds within
 * one hour of now (→ 310000 "invalid timestamp"), `sign` = base64(HmacSHA256(key = secret,
 * msg = timestamp + "\n" + secret)) compared, in constant time, with the URL-decoded query
 * value (→ 310000 "sign not match, …"; a `+` left unencoded decodes to a space and fails,
 * as it does on the platform); the JSON (→ 40035 "缺少参数 json"); msgtype text / markdown /
 * link / actionCard / feedCard (→ 400105) and its required fields (→ 40035 "缺少参数 …");
 * with a keyword, the keyword in text.content, markdown title + text, link / actionCard
 * title + text or feedCard titles (→ 310000 "keywords not in content"). A `msgUuid`
 * already delivered to the robot is answered ok and not delivered again (the documented
 * idempotency key for retries).
 *
 * Rate limit:
 * DingTalk 20 a minute, and over the limit the robot is blocked for 10 minutes
 * (documented: "如果超过20条，会限流10分钟") → 410100 "发送速度太快而限流", the documented
 * code. Public code recorded the live API answering 130101 "send too fast, exceed 20 times
 * per minute" (2021) and 660026 "sending too many messages per minute" (2026): a sender
 * should take all three as rate limits.
 */
import { createHmac } from 'node:crypto';
import {
  type Check,
  HOUR_MS,
  isRecord,
  type Json,
  MINUTE_MS,
  nonEmpty,
  type Platform,
  parseJson,
  type SinkRequest,
  sameSignature,
} from './protocol.ts';

const DINGTALK_MAX_BODY_BYTES = 20_000;
/** The required fields of each msgtype (the custom robot's camelCase names). */
const DINGTALK_FIELDS: Readonly<Record<string, readonly string[]>> = {
  text: ['content'],
  markdown: ['title', 'text'],
  link: ['title', 'text', 'messageUrl'],
  actionCard: ['title', 'text'],
  feedCard: [],
};

const dingtalkSignatureRefusal = (secret: string, request: SinkRequest): Json | null => {
  const timestamp = request.query.get('timestamp') ?? '';
  const ms = /^\d{1,16}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
  if (!(Math.abs(request.now.getTime() - ms) <= HOUR_MS)) return { errcode: 310000, errmsg: 'invalid timestamp' };
  const expected = createHmac('sha256', secret).update(`${timestamp}\n${secret}`, 'utf8').digest('base64');
  // URLSearchParams has already decoded the value (%2B → +, + → space), as the platform does.
  if (!sameSignature(expected, request.query.get('sign'))) {
    return { errcode: 310000, errmsg: 'sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]' };
  }
  return null;
};

/** The text DingTalk searches for the keyword. */
function dingtalkText(body: Json, type: string): string {
  const part = body[type];
  if (!isRecord(part)) return '';
  if (type === 'feedCard') {
    return (Array.isArray(part.links) ? part.links : []).map((link) => (isRecord(link) ? String(link.title ?? '') : '')).join('\n');
  }
  return ['title', 'content', 'text', 'singleTitle']
    .map((field) => part[field])
    .filter((value) => typeof value === 'string')
    .concat((Array.isArray(part.btns) ? part.btns : []).map((btn) => (isRecord(btn) ? String(btn.title ?? '') : '')))
    .join('\n');
}

function dingtalkShapeRefusal(body: Json, type: string): Json | null {
  const part = body[type];
  if (!isRecord(part)) return { errcode: 40035, errmsg: `缺少参数 ${type}` };
  for (const field of DINGTALK_FIELDS[type] ?? []) {
    if (!nonEmpty(part[field])) return { errcode: 40035, errmsg: `缺少参数 ${type}.${field}` };
  }
  if (type === 'actionCard') {
    const single = nonEmpty(part.singleTitle) && nonEmpty(part.singleURL);
    const buttons = Array.isArray(part.btns) && part.btns.length > 0;
    if (!single && !buttons) return { errcode: 40035, errmsg: '缺少参数 actionCard.singleTitle/singleURL or btns' };
  }
  if (type === 'feedCard' && !(Array.isArray(part.links) && part.links.length > 0)) {
    return { errcode: 40035, errmsg: '缺少参数 feedCard.links' };
  }
  return null;
}

const checkDingtalk: Check = (robot, request) => {
  if (request.raw.length > DINGTALK_MAX_BODY_BYTES) {
    return { errcode: 460101, errmsg: 'description: body 大小不合法;solution:请保持大小在 20000bytes 以内;' };
  }
  if (!/^application\/json\b/i.test(request.contentType)) return { errcode: 43004, errmsg: '无效的HTTP HEADER Content-Type' };
  if (robot.signingSecret) {
    const refusal = dingtalkSignatureRefusal(robot.signingSecret, request);
    if (refusal) return refusal;
  }
  const body = parseJson(request.raw);
  if (!isRecord(body) || !nonEmpty(body.msgtype)) return { errcode: 40035, errmsg: '缺少参数 json' };
  const type = body.msgtype;
  if (!(type in DINGTALK_FIELDS)) return { errcode: 400105, errmsg: '不支持的消息类型' };
  const shape = dingtalkShapeRefusal(body, type);
  if (shape) return shape;
  if (robot.keyword && !dingtalkText(body, type).includes(robot.keyword)) {
    return { errcode: 310000, errmsg: 'keywords not in content' };
  }
  return null;
};

export const dingtalk: Platform = {
  limits: { perMinute: 20, blockMs: 10 * MINUTE_MS, countsRefused: false },
  ok: { errcode: 0, errmsg: 'ok' },
  unknownToken: () => ({ errcode: 300005, errmsg: 'token is not exist' }),
  rateLimited: () => ({ errcode: 410100, errmsg: '发送速度太快而限流' }),
  busy: () => ({ errcode: -1, errmsg: '系统繁忙' }),
  check: checkDingtalk,
};
