/**
 * Sends a notice to one group robot: its parts in order, each signed afresh, stopping at the first
 * failure with a RobotError that says whether a later try may succeed. It does not retry: the
 * caller does, with its backoff and its record of what was sent (shared/notices/dispatch.ts).
 */
import type { Notice, RobotKind, RobotTarget } from '../notice.ts';
import type { RobotAnswer } from './answer.ts';
import { RobotError } from './answer.ts';
import { dingtalkAnswer, dingtalkBodies, dingtalkRequest } from './dingtalk.ts';
import { feishuAnswer, feishuBodies, feishuRequest } from './feishu.ts';
import { wecomAnswer, wecomBodies, wecomRequest } from './wecom.ts';

export interface SendOptions {
  readonly now: () => Date;
  readonly fetch?: typeof fetch;
  /** Per part, from sending to the answer's last byte. */
  readonly timeoutMs?: number;
  /** Between parts (Feishu takes 5 a second): the parts of a long notice are paced, not refused. */
  readonly gapMs?: number;
  /** Parts delivered by an earlier try (RobotError.partsSent): a retry sends the rest only. */
  readonly fromPart?: number;
}

/** The pause between two sends to one robot, by platform (Feishu: at most 5 a second). */
export const GAP_MS: Readonly<Record<RobotKind, number>> = { wecom: 0, dingtalk: 0, feishu: 250 };

interface Robot {
  readonly bodies: (notice: Notice, target: RobotTarget) => readonly object[];
  readonly request: (body: object, target: RobotTarget, now: Date) => { url: string; body: string };
  readonly answer: (status: number, text: string) => RobotAnswer;
}

const ROBOTS: Readonly<Record<RobotKind, Robot>> = {
  wecom: { bodies: wecomBodies, request: wecomRequest, answer: wecomAnswer },
  dingtalk: { bodies: dingtalkBodies, request: dingtalkRequest, answer: dingtalkAnswer },
  feishu: { bodies: feishuBodies, request: feishuRequest, answer: feishuAnswer },
};

/** A webhook answers in well under a second; ten seconds allows a slow network, not a hung one. */
const DEFAULT_TIMEOUT_MS = 10_000;

/** Posts `notice` to `target`; resolves with the number of parts delivered, or throws RobotError. */
export async function sendToRobot(target: RobotTarget, notice: Notice, options: SendOptions): Promise<{ parts: number }> {
  const robot = ROBOTS[target.kind];
  const bodies = robot.bodies(notice, target);
  const from = options.fromPart ?? 0;
  for (const [index, body] of bodies.entries()) {
    if (index < from) continue;
    if (index > from && options.gapMs) await new Promise((resolve) => setTimeout(resolve, options.gapMs));
    // Signed per part: a signature is valid for an hour, and the parts of a long notice may queue.
    const request = robot.request(body, target, options.now());
    const answer = await post(request, robot, options);
    if (!answer.ok)
      throw new RobotError(target.id, { ...answer, message: `${answer.message} (part ${index + 1}/${bodies.length})` }, index);
  }
  return { parts: bodies.length };
}

async function post(request: { url: string; body: string }, robot: Robot, options: SendOptions): Promise<RobotAnswer> {
  const doFetch = options.fetch ?? fetch;
  try {
    const response = await doFetch(request.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: request.body,
      // A webhook that redirects is misconfigured: its 3xx is reported, the body not re-sent elsewhere.
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
    return robot.answer(response.status, await response.text());
  } catch (error) {
    return networkFailure(error);
  }
}

/** A failure before any answer: the network, or our timeout. Both may clear, so both are retryable. */
function networkFailure(error: unknown): RobotAnswer {
  const name = error instanceof Error ? error.name : '';
  const timedOut = name === 'TimeoutError' || name === 'AbortError';
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  const causeCode = (cause as { code?: unknown } | undefined)?.code;
  const detail = [error instanceof Error ? error.message : String(error), typeof causeCode === 'string' ? causeCode : cause?.message]
    .filter(Boolean)
    .join(': ');
  return { ok: false, rateLimited: false, retryable: true, code: timedOut ? 'TIMEOUT' : 'NETWORK', message: detail };
}
