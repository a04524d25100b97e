/**
 * WeCom (企业微信): its answers, its checks and its limits (the protocol is told in
 * infra/local/webhook-sink.ts).
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
