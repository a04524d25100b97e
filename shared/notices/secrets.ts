/**
 * The robots' secrets, resolved once per container: a secret reference names a Secrets
 * Manager secret in AWS (shared/adapters/secrets-manager.ts), an environment variable or a
 * file's entry locally (shared/adapters/local-secrets.ts). Its value is the webhook URL, or
 * JSON `{"url", "signingSecret"}`.
 */
import type { SecretSource } from '../ports/secrets.ts';
import type { RobotConfig } from './config.ts';
import type { NoticeKind, RobotTarget } from './notice.ts';

/** A robot ready to send: its target (secrets resolved) and what it hears. */
export interface Robot extends RobotTarget {
  readonly org: string;
  readonly events: readonly NoticeKind[];
  readonly perMinute: number;
}

/** `https://…` or `{"url": "https://…", "signingSecret": "…"}`. */
function fromSecret(ref: string, text: string): { url: string; signingSecret?: string } {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return { url: trimmed };
  const value = JSON.parse(trimmed) as { url?: unknown; signingSecret?: unknown };
  if (typeof value.url !== 'string') throw new Error(`secret ${ref}: no url`);
  return typeof value.signingSecret === 'string' ? { url: value.url, signingSecret: value.signingSecret } : { url: value.url };
}

export async function resolveRobots(configs: readonly RobotConfig[], secrets: SecretSource): Promise<Robot[]> {
  return Promise.all(
    configs.map(async (c) => {
      const target = c.secret ? fromSecret(c.secret, await secrets.get(c.secret)) : { url: c.url! };
      if (!/^https?:\/\//.test(target.url)) throw new Error(`robot ${c.id}: the webhook is not an http(s) URL`);
      return {
        id: c.id,
        kind: c.kind,
        org: c.org,
        events: c.events,
        perMinute: c.perMinute,
        ...target,
        ...(c.keyword ? { keyword: c.keyword } : {}),
      };
    }),
  );
}
