/**
 * A function's notice channels: the robots' configuration (NOTICE_ROBOTS) validated at
 * cold start (a bad one stops it), their secrets (Secrets Manager in AWS,
 * NOTICE_SECRETS_FILE locally) read on the first notice and kept for the container, the
 * claims' log on the table. A cold start that sends nothing reads no secret.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoNotices } from '../../shared/adapters/dynamodb-notices.ts';
import { LocalSecrets } from '../../shared/adapters/local-secrets.ts';
import { SecretsManagerSource } from '../../shared/adapters/secrets-manager.ts';
import { checkRobotOrgs, robotsConfig } from '../../shared/notices/config.ts';
import type { Channel } from '../../shared/notices/dispatch.ts';
import type { NoticeDeps } from '../../shared/notices/notify.ts';
import type { Registry } from '../../shared/registry.ts';
import type { Environment } from './environment.ts';

type NoticeEnvironment = Environment<'NOTICE_ROBOTS' | 'PAGE_URL' | 'NOTICE_SECRETS_FILE' | 'TABLE_NAME'>;

/** The notices' deps for a registry (its orgs checked against the robots' at each load). */
export function functionNotices(
  env: NoticeEnvironment,
  dynamodb: DynamoDBClient,
  options: { readonly timeoutMs?: number; readonly retry?: NoticeDeps['retry'] } = {},
): (registry: Registry) => Promise<NoticeDeps> {
  const configs = robotsConfig(env.NOTICE_ROBOTS);
  const log = new DynamoNotices(dynamodb, env.TABLE_NAME);
  let robots: Promise<Channel[]> | undefined;
  // The channels (and the dispatcher under them) are loaded by the first run that sends:
  // a cold start compiles neither.
  const channels = async () => {
    const { robotChannels } = await import('../../shared/notices/channels.ts');
    const secrets = env.NOTICE_SECRETS_FILE ? new LocalSecrets(env.NOTICE_SECRETS_FILE) : new SecretsManagerSource();
    return robotChannels(configs, secrets, options.timeoutMs ? { timeoutMs: options.timeoutMs } : {});
  };
  return async (registry) => {
    checkRobotOrgs(configs, registry);
    // A secret that cannot be read fails this invocation, and the next one tries again.
    robots ??= channels().catch((error: unknown) => {
      robots = undefined;
      throw error;
    });
    return {
      log,
      robots: await robots,
      ...(env.PAGE_URL ? { pageUrl: env.PAGE_URL } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
    };
  };
}
