/**
 * The DingTalk (钉钉) custom robot: `{"msgtype":"markdown","markdown":{"title","text"}}` posted to
 * `…/robot/send?access_token=…`. Security is a keyword the message must contain, or a signature:
 * `timestamp` (ms) and `sign = base64(HmacSHA256(secret, timestamp + "\n" + secret))`, both
 * appended to the URL, valid for an hour. The limit is on the body: 20 000 bytes.
 */
import { createHmac } from 'node:crypto';
import type { Notice, RobotTarget } from '../notice.ts';
import { fieldsReader, type RobotAnswer, robotAnswer } from './answer.ts';
import { escapeMarkdown, markdownDoc } from './markdown.ts';
import { type Part, splitMessage } from './split.ts';

interface DingtalkBody {
  readonly msgtype: 'markdown';
  readonly markdown: { readonly title: string; readonly text: string };
}

/** Documented: a message of at most 20 000 bytes; counted on the whole JSON body, which is stricter. */
const BODY_LIMIT = 20_000;

/**
 * -1: system busy. Too fast (20 a minute, then blocked for 10 minutes): 410100 is the documented
 * code; 130101 "send too fast" and 660026 have been seen from the live API. All three wait.
 */
const CODES = { rateLimited: [410100, 130101, 660026], retryable: [-1] };
const readAnswer = fieldsReader(['errcode', 'errmsg']);

/** The notice as DingTalk bodies, one per part, each serialized body within 20 000 bytes. */
export function dingtalkBodies(notice: Notice, target: RobotTarget): DingtalkBody[] {
  const doc = markdownDoc(notice, 'dingtalk');
  const budget = { limit: BODY_LIMIT, measure: (part: Part) => Buffer.byteLength(JSON.stringify(bodyOf(part))) };
  return splitMessage(doc, target.keyword, budget).map(bodyOf);
}

/** `title` shows in the chat list and notifications; the text repeats it as its heading. */
function bodyOf(part: Part): DingtalkBody {
  const text = [`### ${escapeMarkdown(part.title, 'dingtalk')}`, '', ...part.lines].join('\n');
  return { msgtype: 'markdown', markdown: { title: part.title, text } };
}

/** The request, signed in the query when the robot has a signing secret. */
export function dingtalkRequest(body: object, target: RobotTarget, now: Date): { url: string; body: string } {
  const json = JSON.stringify(body);
  if (!target.signingSecret) return { url: target.url, body: json };
  const timestamp = String(now.getTime());
  const sign = dingtalkSign(timestamp, target.signingSecret);
  const joiner = target.url.includes('?') ? '&' : '?';
  return { url: `${target.url}${joiner}timestamp=${timestamp}&sign=${encodeURIComponent(sign)}`, body: json };
}

function dingtalkSign(timestamp: string, secret: string): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
}

/** Success is `{"errcode":0,"errmsg":"ok"}`; 310000 (keyword, signature or IP) and 300001 (token) need a fix. */
export function dingtalkAnswer(status: number, text: string): RobotAnswer {
  return robotAnswer(status, text, readAnswer, CODES);
}
