/**
 * WeCom (企业微信): its answers, its checks and its limits (the server, its routes and its faults:
 * infra/local/webhook-sink.ts).
 *
 * What is verified (refusal → answer):
 * WeCom: the key (→ 93000); the JSON and msgtype (→ 40008); `text.content` ≤ 2048 bytes,
 * `markdown.content` and `markdown_v2.content` ≤ 4096 bytes of UTF-8 (→ 40058, naming the
 * field as the platform does); empty content (→ 44004). image / news / file / voice /
 * template_card are accepted when their object is present (not checked further). Error
 * messages carry WeCom's `, hint: […], from ip: …, more info at …` tail, as the live API
 * does: a sender must decide on `errcode`, never on `errmsg` (WeCom's docs say the same).
 * Note: the documented text limit is 2048 bytes; public code recorded the live API
 * refusing only above 5120 ("text.content exceed max length 5120", 2022). The sink holds
 * to the documented 2048: a message within it is safe on either.
 *
 * Rate limit:
 * WeCom 20 a minute, and every request that reaches the robot counts, refused ones too
 * (documented: "无论消息发送是否成功都计数") → 45009 "api freq out of limit".
 */
import { randomInt } from 'node:crypto';
import { type Check, isRecord, type Json, nonEmpty, type Platform, parseJson, type SinkRequest } from './protocol.ts';

/** WeCom appends a request hint to every error message, e.g.
 * `invalid webhook url, hint: [1716264289200120408162556], from ip: 61.156.117.29, more info at …`. */
const wecomError = (errcode: number, message: string, request: SinkRequest): Json => ({
  errcode,
  errmsg: `${message}, hint: [${request.now.getTime()}${randomInt(1_000_000, 10_000_000)}], from ip: ${request.ip}, more info at https://open.work.weixin.qq.com/devtool/query?e=${errcode}`,
});

/** Byte limits of the content, UTF-8 (documented per msgtype). */
const WECOM_CONTENT_BYTES: Readonly<Record<string, number>> = { text: 2048, markdown: 4096, markdown_v2: 4096 };
const WECOM_OTHER_TYPES = new Set(['image', 'news', 'file', 'voice', 'template_card']);

const checkWecom: Check = (_robot, request) => {
  const body = parseJson(request.raw);
  if (!isRecord(body)) return wecomError(40008, 'Warning: wrong json format. invalid message type', request);
  const type = body.msgtype;
  if (typeof type !== 'string') return wecomError(40008, 'invalid message type', request);
  const max = WECOM_CONTENT_BYTES[type];
  if (max !== undefined) {
    const part = body[type];
    const content = isRecord(part) ? part.content : undefined;
    if (!nonEmpty(content)) return wecomError(44004, 'empty content', request);
    if (Buffer.byteLength(content, 'utf8') > max) {
      return wecomError(40058, `${type}.content exceed max length ${max}. invalid Request Parameter`, request);
    }
    return null;
  }
  if (WECOM_OTHER_TYPES.has(type)) return isRecord(body[type]) ? null : wecomError(44004, 'empty content', request);
  return wecomError(40008, 'invalid message type', request);
};

export const wecom: Platform = {
  limits: { perMinute: 20, blockMs: 0, countsRefused: true },
  ok: { errcode: 0, errmsg: 'ok' },
  unknownToken: (request) => wecomError(93000, 'invalid webhook url', request),
  rateLimited: (request) => wecomError(45009, 'api freq out of limit', request),
  busy: (request) => wecomError(-1, 'system busy', request),
  check: checkWecom,
};
