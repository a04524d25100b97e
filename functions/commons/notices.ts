/**
 * A function's notice channels, made once at cold start: the robots' configuration
 * (NOTICE_ROBOTS, validated: a bad one stops the cold start), their secrets (Secrets
 * Manager in AWS, NOTICE_SECRETS_FILE or CUNBAO_SECRET_* locally), and the claims' log
 * on the table.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoNotices } from '../../shared/adapters/dynamodb-notices.ts';
import { LocalSecrets } from '../../shared/adapters/local-secrets.ts';
import { SecretsManagerSource } from '../../shared/adapters/secrets-manager.ts';
import { robotChannel } from '../../shared/notices/channels.ts';
import { checkRobotOrgs, robotsConfig } from '../../shared/notices/config.ts';
import type { NoticeDeps } from '../../shared/notices/notify.ts';
import { resolveRobots } from '../../shared/notices/secrets.ts';
import type { Registry } from '../../shared/registry.ts';
import type { Environment } from './environment.ts';

type NoticeEnvironment = Environment<'NOTICE_ROBOTS' | 'PAGE_URL' | 'NOTICE_SECRETS_FILE' | 'TABLE_NAME'>;

/** The notices' deps for a registry (its orgs checked against the robots' at each load). */
export async function functionNotices(
  env: NoticeEnvironment,
  dynamodb: DynamoDBClient,
  options: { readonly timeoutMs?: number; readonly retry?: NoticeDeps['retry'] } = {},
): Promise<(registry: Registry) => NoticeDeps> {
  const configs = robotsConfig(env.NOTICE_ROBOTS);
  const secrets = env.NOTICE_SECRETS_FILE ? new LocalSecrets(env.NOTICE_SECRETS_FILE) : new SecretsManagerSource();
  const robots = await resolveRobots(configs, secrets);
  const channels = robots.map((r) => robotChannel(r, options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}));
  const log = new DynamoNotices(dynamodb, env.TABLE_NAME);
  return (registry) => {
    checkRobotOrgs(configs, registry);
    return {
      log,
      robots: channels,
      ...(env.PAGE_URL ? { pageUrl: env.PAGE_URL } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
    };
  };
}
