/**
 * The robots' secrets in AWS: Secrets Manager, each read once per container (the client is
 * loaded only when a robot names a secret). The deployment grants exactly these secrets'
 * GetSecretValue (infra/cdk/constructs/notices.ts).
 */
import type { SecretSource } from '../ports/secrets.ts';

export class SecretsManagerSource implements SecretSource {
  private readonly cache = new Map<string, Promise<string>>();

  get(ref: string): Promise<string> {
    if (!this.cache.has(ref)) this.cache.set(ref, this.read(ref));
    return this.cache.get(ref)!;
  }

  private async read(ref: string): Promise<string> {
    const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
    const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: ref }));
    if (!out.SecretString) throw new Error(`secret ${ref} has no SecretString`);
    return out.SecretString;
  }
}
