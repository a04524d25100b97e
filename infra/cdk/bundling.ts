/**
 * How every function is bundled: one set of esbuild options, used by the CDK app
 * (NodejsFunction, local esbuild, no Docker) and by `npm run bench` (the esbuild API), so
 * that the bench measures the very bundles AWS runs. tests/infra checks the two agree
 * byte for byte.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LogLevel, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';

/** The repository root (where package-lock.json is). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const LOCK_FILE = join(ROOT, 'package-lock.json');

/** ESM bundles still meet CommonJS code that calls require() (inside the AWS SDK's deps). */
const CREATE_REQUIRE_BANNER = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/**
 * The options themselves. The SDK is bundled (not taken from the runtime): the version
 * tested is the version deployed, and tree-shaking keeps only what a function imports.
 * `module` before `main`: the SDK's ESM builds, which esbuild can tree-shake.
 */
export const BUNDLE = {
  format: 'esm',
  outFile: 'index.mjs',
  /** Lambda runs nodejs22.x; node20 keeps the bundles runnable on the machines here too. */
  target: 'node20',
  minify: true,
  /** A linked index.mjs.map without the sources (smaller to read when NODE_OPTIONS enables maps). */
  sourceMap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  banner: CREATE_REQUIRE_BANNER,
  external: [] as string[],
} as const;

/** What the functions run with: stack traces point into the TypeScript sources. */
export const NODE_OPTIONS = '--enable-source-maps';

/** NodejsFunction's bundling props for BUNDLE. */
export function cdkBundling(): BundlingOptions {
  return {
    format: OutputFormat.ESM,
    target: BUNDLE.target,
    minify: BUNDLE.minify,
    sourceMap: BUNDLE.sourceMap,
    sourcesContent: BUNDLE.sourcesContent,
    mainFields: [...BUNDLE.mainFields],
    banner: BUNDLE.banner,
    externalModules: [...BUNDLE.external],
    // Only problems on the console (the output is the same either way).
    logLevel: LogLevel.WARNING,
    forceDockerBundling: false,
  };
}

/** The same bundle through the esbuild API (what NodejsFunction passes on its command line). */
export function esbuildOptions(entry: string, outDir: string): BuildOptions {
  return {
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: BUNDLE.format,
    target: BUNDLE.target,
    outfile: join(outDir, BUNDLE.outFile),
    minify: BUNDLE.minify,
    sourcemap: BUNDLE.sourceMap,
    sourcesContent: BUNDLE.sourcesContent,
    mainFields: [...BUNDLE.mainFields],
    banner: { js: BUNDLE.banner },
    external: [...BUNDLE.external],
    logLevel: 'warning',
  };
}
