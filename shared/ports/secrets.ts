/**
 * Where the robots' secrets come from: Secrets Manager in AWS
 * (shared/adapters/secrets-manager.ts), a file or the environment locally
 * (shared/adapters/local-secrets.ts).
 */
export interface SecretSource {
  /** The secret's text; throws when there is none (the robot cannot be reached without it). */
  get(ref: string): Promise<string>;
}
