/**
 * The Feishu (飞书) custom bot: an interactive card (so that markdown renders) posted to
 * `…/open-apis/bot/v2/hook/{token}`. The title goes in the card's header, the lines in one
 * markdown element. Signing puts `timestamp` (seconds, a string) and
 * `sign = base64(HmacSHA256(key = timestamp + "\n" + secret, message = ""))` in the body itself.
 * The limit is on the body: 20 KB.
 */
import { createHmac } from 'node:crypto';
import type { Notice, NoticeKind, RobotTarget } from '../notice.ts';
import { fieldsReader, type RobotAnswer, robotAnswer } from './answer.ts';
import { markdownDoc } from './markdown.ts';
import { type Part, splitMessage } from './split.ts';

interface FeishuBody {
  readonly msg_type: 'interactive';
  readonly card: {
    readonly header: { readonly title: { readonly tag: 'plain_text'; readonly content: string }; readonly template: string };
    readonly elements: readonly [{ readonly tag: 'markdown'; readonly content: string }];
  };
}

/** Documented: a body of at most 20 KB; 20 000 bytes holds under either reading of "K". */
const BODY_LIMIT = 20_000;
/** What signing adds to a body, measured with the widest values (10-digit seconds, 44 base64 characters). */
const SIGNING_PLACEHOLDER = { timestamp: '0000000000', sign: 'A'.repeat(44) };

/** 11232: frequency limited (100 a minute, 5 a second); 1500 and 2200: internal errors. */
const CODES = { rateLimited: [11232], retryable: [1500, 2200] };
/** 9499 is the gateway's code for "too many request" and for "Bad Request" alike: the message tells which. */
const TOO_MANY = /too many|frequen/i;
/** Newer answers are `{code, msg}`; older ones `{StatusCode, StatusMessage}`. */
const readAnswer = fieldsReader(['code', 'msg'], ['StatusCode', 'StatusMessage']);

/** The header's colour says the notice's kind before it is read. */
const TEMPLATES: Readonly<Record<NoticeKind, string>> = { remind: 'orange', publish: 'blue', correction: 'red', return: 'yellow' };

/** The notice as Feishu bodies, one per part, each within 20 000 bytes once signed. */
export function feishuBodies(notice: Notice, target: RobotTarget): FeishuBody[] {
  const doc = markdownDoc(notice, 'feishu');
  const template = TEMPLATES[notice.kind];
  const extra = target.signingSecret ? SIGNING_PLACEHOLDER : {};
  const measure = (part: Part) => Buffer.byteLength(JSON.stringify({ ...extra, ...bodyOf(part, template) }));
  return splitMessage(doc, target.keyword, { limit: BODY_LIMIT, measure }).map((part) => bodyOf(part, template));
}

function bodyOf(part: Part, template: string): FeishuBody {
  return {
    msg_type: 'interactive',
    card: {
      header: { title: { tag: 'plain_text', content: part.title }, template },
      elements: [{ tag: 'markdown', content: part.lines.join('\n') }],
    },
  };
}

/** The request, signed in the body when the bot has a signing secret. */
export function feishuRequest(body: object, target: RobotTarget, now: Date): { url: string; body: string } {
  if (!target.signingSecret) return { url: target.url, body: JSON.stringify(body) };
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const sign = feishuSign(timestamp, target.signingSecret);
  return { url: target.url, body: JSON.stringify({ timestamp, sign, ...body }) };
}

/** Feishu's scheme: the string to sign is the key, the message is empty. */
function feishuSign(timestamp: string, secret: string): string {
  return createHmac('sha256', `${timestamp}\n${secret}`).update('').digest('base64');
}

/** Success is `{"code":0,"msg":"success"}`; 19021 (sign), 19024 (keyword) and 19002 (params) need a fix. */
export function feishuAnswer(status: number, text: string): RobotAnswer {
  const answer = robotAnswer(status, text, readAnswer, CODES);
  if (!answer.ok && answer.code === '9499' && TOO_MANY.test(answer.message)) return { ...answer, rateLimited: true, retryable: true };
  return answer;
}
