/**
 * The notices of a command run on a stack, as its functions send them: the stack's robots
 * (its webhook sink's, or the real ones it was started with), their secrets' file, the
 * claims in its table — so that a command run beside `npm start` never sends a second copy.
 */
import type { StackAccess } from '../infra/local/connect.ts';
import { LocalSecrets } from '../shared/adapters/local-secrets.ts';
import { robotChannels } from '../shared/notices/channels.ts';
import { robotsConfig } from '../shared/notices/config.ts';
import type { NoticeDeps } from '../shared/notices/notify.ts';

export async function stackNotices(stack: StackAccess): Promise<NoticeDeps> {
  // Robots of orgs the command's registry lacks never match one of its notices.
  const robots = await robotChannels(robotsConfig(stack.robots?.config), new LocalSecrets(stack.robots?.secretsFile));
  return { log: stack.notices, robots, ...(stack.page ? { pageUrl: stack.page } : {}) };
}
