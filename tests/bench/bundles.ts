/**
 * The Lambda bundles: each function's size and cold import time, built with exactly the
 * CDK app's esbuild options (infra/cdk/bundling.ts), next to a baseline — an empty handler
 * that constructs only the AWS SDK clients the function uses (see neededClients), bundled
 * the same way. The difference is what our code and its libraries add. A client that the
 * bundle imports without needing it is named: it counts against our code.
 *
 * Cold import: a fresh `node` per sample (with NODE_OPTIONS as deployed), the time of the
 * `import()` of index.mjs alone (Node's own start-up is the same for all); each round
 * imports every bundle once, so that a busy moment of the machine hits all of them.
 *
 * `tsx tests/bench/bundles.ts` runs this suite alone.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Metafile } from 'esbuild';
import { BUNDLE, buildFunction, NODE_OPTIONS, ROOT } from '../../infra/cdk/bundling.ts';
import { SENDS_MAIL } from '../../infra/cdk/app-stack.ts';
import { WIRING, type FunctionName } from '../../infra/wiring.ts';
import { median } from './measure.ts';

/** The client class each SDK package exports (the baseline constructs it, as our code does). */
const CLIENT_CLASS: Record<string, string> = {
  '@aws-sdk/client-dynamodb': 'DynamoDBClient',
  '@aws-sdk/client-s3': 'S3Client',
  '@aws-sdk/client-sesv2': 'SESv2Client',
  '@aws-sdk/client-secrets-manager': 'SecretsManagerClient',
};

/** What a function reads at cold start (no network: SES, not SMTP with a secret). */
const ENVIRONMENT = {
  AWS_REGION: 'cn-northwest-1',
  TABLE_NAME: 'cunbao-bench',
  BUCKET_NAME: 'cunbao-bench',
  UNITS_KEY: 'config/units.json',
  DISTRICT_AUTH: 'token',
  MAIL_TRANSPORT: 'ses',
  MAIL_FROM: '鹅池镇村报 <cunbao@example.cn>',
  MAIL_TO_TOWN: 'clerk@example.cn',
  LOG_LEVEL: 'silent',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

export interface BundleFigure {
  /** SDK clients the function uses (what the baseline constructs): static, then `(dynamic)` ones. */
  readonly clients: readonly string[];
  /** Clients its bundle imports although it does not use them. */
  readonly unneeded: readonly string[];
  readonly kib: number;
  readonly baselineKib: number;
  readonly importMs: number;
  readonly baselineImportMs: number;
  /** Ours ÷ baseline, cold import time (target ≤ 1.25). */
  readonly importRatio: number;
  readonly sizeRatio: number;
}

export interface BundleFigures {
  readonly samples: number;
  readonly target: string;
  readonly functions: Record<string, BundleFigure>;
}

type Clients = { readonly static: readonly string[]; readonly dynamic: readonly string[] };

/** The SDK client packages our own sources (not node_modules) import, by kind of import. */
function importedClients(metafile: Metafile): Clients {
  const found = { static: new Set<string>(), dynamic: new Set<string>() };
  for (const [path, input] of Object.entries(metafile.inputs)) {
    if (path.includes('node_modules')) continue;
    for (const imported of input.imports) {
      const name = imported.original;
      if (name?.startsWith('@aws-sdk/client-')) (imported.kind === 'dynamic-import' ? found.dynamic : found.static).add(name);
    }
  }
  for (const name of found.static) found.dynamic.delete(name);
  return { static: [...found.static].sort(), dynamic: [...found.dynamic].sort() };
}

/**
 * The clients a function uses, by what the CDK app lets it do: DynamoDB for its table, S3
 * when it has bucket prefixes, and to send mail SES (the default transport) — plus Secrets
 * Manager, loaded only when SMTP's password is a secret.
 */
function neededClients(name: FunctionName, ours: Bundle): Clients {
  const { bucketRead, bucketWrite } = WIRING[name].access;
  const mails = SENDS_MAIL.includes(name);
  // The api mails from one route only (the publish button) and loads SES there: its baseline
  // loads SES later too, or the baseline would carry what our cold start does not.
  const sesAtStart = mails && coldInputs(ours).some((input) => input.includes('node_modules/@aws-sdk/client-sesv2/'));
  return {
    static: [
      '@aws-sdk/client-dynamodb',
      ...(bucketRead.length + bucketWrite.length > 0 ? ['@aws-sdk/client-s3'] : []),
      ...(sesAtStart ? ['@aws-sdk/client-sesv2'] : []),
    ],
    dynamic: [...(mails && !sesAtStart ? ['@aws-sdk/client-sesv2'] : []), ...(mails ? ['@aws-sdk/client-secrets-manager'] : [])],
  };
}

/** An empty handler with those clients (in tests/bench, so that node_modules resolve; `_*` is ignored by git). */
function baselineSource(clients: Clients): string {
  for (const name of [...clients.static, ...clients.dynamic])
    if (!CLIENT_CLASS[name]) throw new Error(`bundles bench: no client class known for ${name}`);
  return [
    ...clients.static.map((name) => `import { ${CLIENT_CLASS[name]} } from '${name}';`),
    `const clients = [${clients.static.map((name) => `new ${CLIENT_CLASS[name]}({})`).join(', ')}];`,
    `const later = [${clients.dynamic.map((name) => `() => import('${name}')`).join(', ')}];`,
    'export const handler = async () => ({ clients: clients.length, later: later.length });',
    '',
  ].join('\n');
}

interface Bundle {
  readonly file: string;
  readonly bytes: number;
  readonly metafile: Metafile;
}

/**
 * One entry bundled as the CDK app bundles it. Its bytes are those a cold start reads:
 * index.mjs and the chunks it imports statically, transitively (not the chunks it loads
 * with `import()` when a request needs them).
 */
export async function bundle(entry: string, outDir: string): Promise<Bundle> {
  const result = await buildFunction(entry, outDir, { metafile: true, logLevel: 'error' });
  const file = join(outDir, BUNDLE.outFile);
  return {
    file,
    bytes: coldBytes(result.metafile, Object.keys(result.metafile.outputs).find((o) => o.endsWith(`/${BUNDLE.outFile}`))!),
    metafile: result.metafile,
  };
}

/** The outputs a cold start reads: `entry` and the chunks it imports statically, transitively. */
function coldOutputs(metafile: Metafile, entry: string): string[] {
  const seen = new Set<string>();
  const visit = (output: string): void => {
    if (seen.has(output)) return;
    seen.add(output);
    for (const i of metafile.outputs[output]?.imports ?? []) if (i.kind === 'import-statement' && !i.external) visit(i.path);
  };
  visit(entry);
  return [...seen];
}

function coldBytes(metafile: Metafile, entry: string): number {
  return coldOutputs(metafile, entry).reduce((n, o) => n + (metafile.outputs[o]?.bytes ?? 0), 0);
}

/** The source files (and packages' files) a bundle's cold start reads. */
function coldInputs(b: Bundle): string[] {
  const entry = Object.keys(b.metafile.outputs).find((o) => o.endsWith(`/${BUNDLE.outFile}`))!;
  return coldOutputs(b.metafile, entry).flatMap((o) => Object.keys(b.metafile.outputs[o]?.inputs ?? {}));
}

/** Milliseconds to import the module in a fresh node, with the functions' NODE_OPTIONS. */
function coldImportMs(file: string): number {
  const script =
    'const t = performance.now(); await import(process.env.BENCH_MODULE); process.stdout.write(String(performance.now() - t));';
  const out = execFileSync(process.execPath, [...NODE_OPTIONS.split(' '), '--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...ENVIRONMENT, BENCH_MODULE: pathToFileURL(file).href },
  });
  return Number(out);
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const round2 = (x: number) => Math.round(x * 100) / 100;

export async function benchBundles(samples = 15): Promise<BundleFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'cunbao-bundles-'));
  try {
    // 1. Bundle every function, and one baseline per distinct set of clients.
    const names = Object.keys(WIRING) as FunctionName[];
    const built = new Map<FunctionName, { ours: Bundle; baseline: Bundle; clients: Clients; imported: Clients }>();
    const baselines = new Map<string, Bundle>();
    for (const name of names) {
      const ours = await bundle(join(ROOT, WIRING[name].entry), join(dir, name));
      const clients = neededClients(name, ours);
      const source = baselineSource(clients);
      let baseline = baselines.get(source);
      if (!baseline) {
        const entry = fileURLToPath(new URL(`./_baseline-${baselines.size}.ts`, import.meta.url));
        writeFileSync(entry, source);
        try {
          baseline = await bundle(entry, join(dir, `baseline-${baselines.size}`));
        } finally {
          rmSync(entry, { force: true });
        }
        baselines.set(source, baseline);
      }
      built.set(name, { ours, baseline, clients, imported: importedClients(ours.metafile) });
    }

    // 2. Rounds: each imports every bundle once (one untimed round first: the file cache),
    //    so that a busy moment of the machine falls on all of them alike.
    const files = [...new Set([...built.values()].flatMap((b) => [b.ours.file, b.baseline.file]))];
    const times = new Map<string, number[]>(files.map((file) => [file, []]));
    for (const file of files) coldImportMs(file);
    for (let round = 0; round < samples; round++)
      for (const file of round % 2 ? [...files].reverse() : files) times.get(file)!.push(coldImportMs(file));

    // 3. Medians and ratios.
    const functions: Record<string, BundleFigure> = {};
    for (const [name, { ours, baseline, clients, imported }] of built) {
      const importMs = median(times.get(ours.file)!);
      const baselineImportMs = median(times.get(baseline.file)!);
      const short = (c: string) => c.replace('@aws-sdk/', '');
      functions[name] = {
        clients: [...clients.static.map(short), ...clients.dynamic.map((c) => `${short(c)} (dynamic)`)],
        unneeded: [...imported.static, ...imported.dynamic]
          .filter((c) => !clients.static.includes(c) && !clients.dynamic.includes(c))
          .map(short),
        kib: round1(ours.bytes / 1024),
        baselineKib: round1(baseline.bytes / 1024),
        importMs: round1(importMs),
        baselineImportMs: round1(baselineImportMs),
        importRatio: round2(importMs / baselineImportMs),
        sizeRatio: round2(ours.bytes / baseline.bytes),
      };
    }
    return { samples, target: `${BUNDLE.format} ${BUNDLE.target}, minified, ${NODE_OPTIONS}`, functions };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function bundleLines(figures: BundleFigures): string[] {
  const pct = (ratio: number) => `${ratio >= 1 ? '+' : ''}${Math.round((ratio - 1) * 100)}%`;
  return [
    `Lambda bundles (${figures.target}; the CDK app's esbuild options), cold import = median of ${figures.samples} fresh node processes, vs. an empty handler with only the SDK clients the function uses:`,
    ...Object.entries(figures.functions).map(
      ([name, f]) =>
        `  ${name.padEnd(11)} ${String(f.kib).padStart(6)} KiB vs ${String(f.baselineKib).padStart(6)} KiB (${pct(f.sizeRatio)}), import ${String(f.importMs).padStart(5)} ms vs ${String(f.baselineImportMs).padStart(5)} ms: ${f.importRatio}× (${pct(f.importRatio)}; target ≤ +25%) [${f.clients.join(', ')}]${f.unneeded.length ? ` — also imports ${f.unneeded.join(', ')}, unused` : ''}`,
    ),
  ];
}

if (process.argv[1] && relative(process.argv[1], fileURLToPath(import.meta.url)) === '') {
  const figures = await benchBundles(Number(process.env.BENCH_BUNDLE_SAMPLES ?? 15));
  process.stdout.write(
    process.argv.includes('--json') ? JSON.stringify({ bundles: figures }) + '\n' : bundleLines(figures).join('\n') + '\n',
  );
}
