/**
 * The functions' environment contract (functions/commons/environment.ts): each function
 * reads exactly the variables its wiring entry declares, the local runtime sets them with
 * the producer the CDK app uses (infra/environment.ts; the templates: tests/infra), and
 * no source reads process.env outside the readers.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadEnvironment, UsageError } from '../../cli/environment.ts';
import { EnvironmentError, readEnvironment, VARIABLES, type VariableName } from '../../functions/commons/environment.ts';
import { functionEnvironment } from '../../infra/environment.ts';
import { localDeployment, sdkEnvironment } from '../../infra/local/environment.ts';
import { WIRING, type FunctionName } from '../../infra/wiring.ts';
import { mailConfig } from '../../shared/mail/config.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NAMES = Object.keys(WIRING) as FunctionName[];
const ENDPOINTS = { s3: 'http://127.0.0.1:1', dynamodb: 'http://127.0.0.1:2' };
const NOW = '2025-04-03T09:00:00+08:00';
/** The local stack's values, every optional one given. */
// As the local runtime starts it: its robots on the webhook sink, their secrets in a file.
const LOCAL_VALUES = localDeployment({
  endpoints: ENDPOINTS,
  mailSink: { host: '127.0.0.1', port: 3 },
  now: NOW,
  logLevel: 'silent',
  robots: { config: '[]', secretsFile: '/tmp/robot-secrets.json' },
});
const declared = (name: FunctionName): readonly VariableName[] => WIRING[name].environment;
const originOf = (variable: VariableName) => VARIABLES[variable].origin;

describe('readEnvironment', () => {
  it('gives the named variables, parsed, with their defaults', () => {
    // Act
    const env = readEnvironment(['TABLE_NAME', 'UNITS_KEY', 'DISTRICT_AUTH', 'UPLOAD_MAX_BYTES', 'CUNBAO_NOW'], {
      TABLE_NAME: 't',
      UPLOAD_MAX_BYTES: '1000',
      BUCKET_NAME: 'not asked',
    });

    // Assess
    expect(env).toEqual({
      TABLE_NAME: 't',
      UNITS_KEY: 'config/units.json',
      DISTRICT_AUTH: 'token',
      UPLOAD_MAX_BYTES: 1000,
      CUNBAO_NOW: undefined,
    });
  });

  it('names every problem at once, and never a value', () => {
    // Act
    let error: unknown;
    try {
      readEnvironment(['TABLE_NAME', 'BUCKET_NAME', 'LOG_LEVEL', 'CUNBAO_NOW'], {
        BUCKET_NAME: '',
        LOG_LEVEL: 'verbose-secret',
        CUNBAO_NOW: 'tomorrow',
      });
    } catch (caught) {
      error = caught;
    }

    // Assess
    expect(error).toBeInstanceOf(EnvironmentError);
    const problems = (error as EnvironmentError).problems;
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'TABLE_NAME missing',
      'BUCKET_NAME invalid',
      'LOG_LEVEL invalid',
      'CUNBAO_NOW invalid',
    ]);
    expect((error as Error).message).not.toContain('verbose-secret');
  });
});

describe('the local runtime’s environment of each function', () => {
  it.each(NAMES)(
    '%s: its declared variables only, every one a deployment or the local runtime sets, and its reader accepts them',
    (name) => {
      // Act
      const env = functionEnvironment(name, LOCAL_VALUES);

      // Assess
      expect(Object.keys(env).filter((key) => !declared(name).includes(key as VariableName))).toEqual([]);
      expect(declared(name).filter((variable) => originOf(variable) !== 'option' && env[variable] === undefined)).toEqual([]);
      expect(() => readEnvironment(declared(name), env)).not.toThrow();
      if (declared(name).includes('MAIL_TRANSPORT'))
        expect(mailConfig(env).transport).toMatchObject({ kind: 'smtp', host: '127.0.0.1', port: 3, secure: false });
    },
  );
});

describe('what each function reads at cold start', () => {
  const original = process.env;
  afterEach(() => {
    process.env = original;
  });

  it.each(NAMES)('%s reads exactly the variables its wiring entry declares', async (name) => {
    // Prepare: the environment the local runtime gives it, watched.
    const reads = new Set<string>();
    const env: Record<string, string> = {
      ...sdkEnvironment(ENDPOINTS),
      ...functionEnvironment(name, LOCAL_VALUES),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    process.env = new Proxy(env, {
      get: (target, key) => {
        if (typeof key === 'string') reads.add(key);
        return Reflect.get(target, key);
      },
    });

    // Act
    await import(pathToFileURL(join(ROOT, WIRING[name].entry)).href);

    // Assess
    process.env = original;
    expect([...reads].filter((key) => key in VARIABLES).sort()).toEqual([...declared(name)].sort());
  });
});

describe('the CLI’s environment', () => {
  it('hands LOG_LEVEL and the MAIL_* recipients to the local stack’s functions', () => {
    // Act
    const env = loadEnvironment({ LOG_LEVEL: 'debug', MAIL_FROM: '村报 <a@ec.test>', MAIL_TO_TOWN: 'b@ec.test' });

    // Assess
    expect(env).toMatchObject({ logLevel: 'debug', recipients: { from: '村报 <a@ec.test>', town: 'b@ec.test' } });
    expect(env.recipients.district).toBeUndefined();
  });

  it('refuses a LOG_LEVEL the functions would refuse, naming it', () => {
    // Act
    const loading = () => loadEnvironment({ LOG_LEVEL: 'loud' });

    // Assess
    expect(loading).toThrow(UsageError);
    expect(loading).toThrow(/^环境变量 LOG_LEVEL 无效/);
  });
});

/** Source files (not tests) under the given folders. */
function sources(...folders: string[]): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((entry) => {
      const path = join(dir, entry);
      return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
    });
  return folders.flatMap((folder) => walk(join(ROOT, folder)));
}

/** Where process.env may be touched: the readers' defaults, and the local runtime handing its functions their environment. */
const READERS: readonly { readonly file: string; readonly line: RegExp }[] = [
  // A default parameter, on the signature's line or on its own (as the formatter wraps it).
  { file: 'functions/commons/environment.ts', line: /^(export function readEnvironment\b.*|env: .*)= process\.env[,)]/ },
  { file: 'cli/environment.ts', line: /^export function loadEnvironment\b.*= process\.env\)/ },
  { file: 'cli/main.ts', line: /^export async function main\b.*= process\.env\)/ },
  // Reached when the command failed, possibly in reading its environment.
  { file: 'cli/main.ts', line: /^if \(process\.env\.DEBUG\)/ },
  { file: 'infra/cdk/config.ts', line: /^(export function deployConfig\b.*|environment: .*)= process\.env[,)]/ },
  { file: 'infra/local/runtime.ts', line: /^Object\.assign\(process\.env, (sdkEnvironment|functionEnvironment)\(/ },
];

describe('the environment outside the readers', () => {
  it('is never read raw: every process.env is a reader’s', () => {
    // Prepare
    const uses = sources('functions', 'shared', 'infra', 'cli', 'bin').flatMap((path) =>
      readFileSync(path, 'utf8')
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line.includes('process.env'))
        .map((line) => ({ file: relative(ROOT, path), line })),
    );

    // Assess
    expect(uses.filter((use) => !READERS.some((reader) => reader.file === use.file && reader.line.test(use.line)))).toEqual([]);
    expect(uses.length).toBeGreaterThan(0);
  });
});
