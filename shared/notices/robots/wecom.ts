/**
 * The WeCom (企业微信) group robot: `{"msgtype":"markdown","markdown":{"content":…}}` posted to
 * its webhook URL, whose `key` is the robot's only secret (no signing). The limit is on the
 * content: 4096 bytes of UTF-8.
 */
import type { Notice, RobotTarget } from '../notice.ts';
import { fieldsReader, type RobotAnswer, robotAnswer } from './answer.ts';
import { escapeMarkdown, markdownDoc } from './markdown.ts';
import { type Part, splitMessage } from './split.ts';

interface WecomBody {
  readonly msgtype: 'markdown';
  readonly markdown: { readonly content: string };
}

/** Documented: `markdown.content` at most 4096 bytes, UTF-8 (errcode 40058 beyond). */
const CONTENT_LIMIT = 4096;

/** -1: system busy; 45009: api freq out of limit (20 messages a minute per robot). */
const CODES = { rateLimited: [45009], retryable: [-1] };
const readAnswer = fieldsReader(['errcode', 'errmsg']);

/** The notice as WeCom bodies, one per part, each content within 4096 bytes. */
export function wecomBodies(notice: Notice, target: RobotTarget): WecomBody[] {
  const doc = markdownDoc(notice, 'wecom');
  const budget = { limit: CONTENT_LIMIT, measure: (part: Part) => Buffer.byteLength(contentOf(part)) };
  return splitMessage(doc, target.keyword, budget).map((part) => ({ msgtype: 'markdown', markdown: { content: contentOf(part) } }));
}

function contentOf(part: Part): string {
  return [`### ${escapeMarkdown(part.title, 'wecom')}`, ...part.lines].join('\n');
}

/** The request: the webhook URL as configured (it carries the key), the body as JSON. */
export function wecomRequest(body: object, target: RobotTarget, _now: Date): { url: string; body: string } {
  return { url: target.url, body: JSON.stringify(body) };
}

/** Success is `{"errcode":0,"errmsg":"ok"}`; 93000 (bad key) and 40058 (too long) need a fix, not a retry. */
export function wecomAnswer(status: number, text: string): RobotAnswer {
  return robotAnswer(status, text, readAnswer, CODES);
}
