/**
 * The local stack's group robots, when no real one is configured: for each org a WeCom,
 * a DingTalk (signed, keyword 村报) and a Feishu (signed) robot on the webhook sink, named
 * by secret references whose values (the URLs, the signing secrets) are in a secrets file —
 * the path a deployment takes through Secrets Manager, with a file instead.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RobotConfig } from '../../shared/notices/config.ts';
import type { Registry } from '../../shared/registry.ts';
import { startWebhookSink, type SinkRobot, type WebhookSink } from './webhook-sink.ts';

export interface LocalRobots {
  readonly sink: WebhookSink;
  /** NOTICE_ROBOTS for the functions. */
  readonly config: string;
  readonly secretsFile: string;
}

const token = () => randomBytes(16).toString('hex');

/** The orgs that hear notices: every town, and the district when it has more than one. */
function sinkRobots(registry: Registry): SinkRobot[] {
  return registry.orgs.flatMap((org) => {
    const id = org.code.toLowerCase().replace(/[^a-z0-9]/g, '-');
    return [
      { id: `${id}-wecom`, kind: 'wecom', token: token() },
      { id: `${id}-dingtalk`, kind: 'dingtalk', token: token(), signingSecret: `SEC${token()}`, keyword: '村报' },
      { id: `${id}-feishu`, kind: 'feishu', token: token(), signingSecret: token() },
    ] satisfies SinkRobot[];
  });
}

/** Starts the sink (its messages under `{dataDir}/notices/`) and writes the robots' secrets file. */
export async function startLocalRobots(dataDir: string, registry: Registry): Promise<LocalRobots> {
  const robots = sinkRobots(registry);
  const sink = await startWebhookSink({ dataDir, robots });
  const orgOf = new Map(
    registry.orgs.flatMap((o) => robots.filter((r) => r.id.startsWith(`${o.code.toLowerCase()}-`)).map((r) => [r.id, o.code])),
  );
  const config: RobotConfig[] = robots.map((r) => ({
    id: r.id,
    org: orgOf.get(r.id)!,
    kind: r.kind,
    secret: `local/robots/${r.id}`,
    ...(r.keyword ? { keyword: r.keyword } : {}),
    events: ['remind', 'publish', 'correction', 'return'],
    perMinute: 20,
  }));
  const secrets = Object.fromEntries(
    robots.map((r) => [
      `local/robots/${r.id}`,
      r.signingSecret ? { url: sink.urlOf(r.id), signingSecret: r.signingSecret } : sink.urlOf(r.id),
    ]),
  );
  const secretsFile = join(dataDir, 'robot-secrets.json');
  writeFileSync(secretsFile, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return { sink, config: JSON.stringify(config), secretsFile };
}
