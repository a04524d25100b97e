/**
 * The group robots, as data: which robot (WeCom, DingTalk, Feishu) hears which org's
 * notices. Validated once at start (cold start, `npm start`), every problem named at once.
 * No secret is in it: a robot names its webhook by a secret reference (Secrets Manager in
 * AWS, the environment or a file locally: shared/notices/secrets.ts) — a WeCom key or a
 * DingTalk access token in a webhook URL is a secret too. A plain `url` is for robots
 * that are not secret, such as the local webhook sink.
 *
 *   NOTICE_ROBOTS  JSON: [{ "id": "ec-work", "org": "EC", "kind": "dingtalk",
 *                           "secret": "cunbao/robots/ec-work", "keyword": "村报",
 *                           "events": ["remind", "publish", "correction", "return"] }]
 *
 * The secret's value is the webhook URL, or JSON `{"url": "…", "signingSecret": "SEC…"}`
 * for a robot whose requests are signed (DingTalk 加签, Feishu 签名校验).
 */
import * as z from 'zod/mini';
import { once } from '../once.ts';
import type { Registry } from '../registry.ts';
import { NOTICE_KINDS, ROBOT_KINDS, type NoticeKind, type RobotKind } from './notice.ts';

export interface RobotConfig {
  readonly id: string;
  /** A town's code, or the district's (it hears the district's notices: the digest). */
  readonly org: string;
  readonly kind: RobotKind;
  readonly url?: string;
  readonly secret?: string;
  readonly keyword?: string;
  readonly events: readonly NoticeKind[];
  /** The platform's limit per robot (about 20 a minute); beyond it notices are merged. */
  readonly perMinute: number;
}

/** Every problem of the robots' configuration at once. */
export class NoticeConfigError extends Error {
  override readonly name = 'NoticeConfigError';

  constructor(readonly problems: readonly string[]) {
    super(`群机器人配置无效 (invalid NOTICE_ROBOTS): ${problems.join('; ')}`);
  }
}

// Made with the first NOTICE_ROBOTS read that has robots (a deployment without robots never makes it).
const robot = once(() =>
  z
    .object({
      id: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,39}$/)),
      org: z.string().check(z.minLength(1)),
      kind: z.enum(ROBOT_KINDS),
      url: z.optional(z.url({ protocol: /^https?$/ })),
      secret: z.optional(z.string().check(z.regex(/^[A-Za-z0-9/_+=.@:-]{1,512}$/))),
      keyword: z.optional(z.string().check(z.minLength(1), z.maxLength(30))),
      events: z._default(z.array(z.enum(NOTICE_KINDS)).check(z.minLength(1)), [...NOTICE_KINDS]),
      perMinute: z._default(z.int().check(z.positive(), z.lte(100)), 20),
    })
    .check(
      z.refine((r) => (r.url === undefined) !== (r.secret === undefined), {
        message: 'url 与 secret 须且只须有一项 (exactly one of url, secret)',
      }),
    ),
);

/** Parses NOTICE_ROBOTS (absent or empty: no robot); throws a NoticeConfigError naming each problem. */
export function robotsConfig(text: string | undefined): RobotConfig[] {
  if (text === undefined || text.trim() === '') return [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new NoticeConfigError([`NOTICE_ROBOTS 不是 JSON (not JSON): ${(error as Error).message}`]);
  }
  const parsed = z.array(robot()).safeParse(json);
  if (!parsed.success) throw new NoticeConfigError(parsed.error.issues.map((i) => `robots[${i.path.map(String).join('.')}]: ${i.message}`));
  const ids = parsed.data.map((r) => r.id);
  const problems = [...new Set(ids.filter((id, k) => ids.indexOf(id) !== k))].map((id) => `robot ${id}: 重复的 id (duplicate id)`);
  if (problems.length) throw new NoticeConfigError(problems);
  return parsed.data;
}

/** The robots whose org the registry does not know (checked when the registry is loaded). */
export function checkRobotOrgs(robots: readonly RobotConfig[], registry: Registry): void {
  const known = new Set([registry.district.code, ...registry.towns.map((t) => t.code)]);
  const problems = robots.filter((r) => !known.has(r.org)).map((r) => `robot ${r.id}: 单位名册中没有 ${r.org} (org not in the registry)`);
  if (problems.length) throw new NoticeConfigError(problems);
}

/** The secret references the robots name (CDK grants exactly these). */
export const secretRefsOf = (robots: readonly RobotConfig[]): string[] => [...new Set(robots.flatMap((r) => (r.secret ? [r.secret] : [])))];
