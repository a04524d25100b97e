/**
 * The robots' secrets locally: an environment variable `CUNBAO_SECRET_{REF}` (the
 * reference upper-cased, every other character `_`: `cunbao/robots/ec-work` →
 * `CUNBAO_SECRET_CUNBAO_ROBOTS_EC_WORK`), else an entry of a JSON file `{ "ref": "value" }`
 * (NOTICE_SECRETS_FILE; `npm start` writes one for the webhook sink's robots).
 */
import { readFileSync } from 'node:fs';
import type { SecretSource } from '../ports/secrets.ts';

export const secretVariable = (ref: string): string => `CUNBAO_SECRET_${ref.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

export class LocalSecrets implements SecretSource {
  constructor(
    private readonly file: string | undefined,
    private readonly env: Readonly<Record<string, string | undefined>> = {},
  ) {}

  async get(ref: string): Promise<string> {
    const fromEnv = this.env[secretVariable(ref)];
    if (fromEnv) return fromEnv;
    const entries = this.file ? (JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, unknown>) : {};
    const value = entries[ref];
    if (typeof value === 'string') return value;
    if (value && typeof value === 'object') return JSON.stringify(value);
    throw new Error(`no secret ${ref}: set ${secretVariable(ref)}${this.file ? ` or add it to ${this.file}` : ''}`);
  }
}
