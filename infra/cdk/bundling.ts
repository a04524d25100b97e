/**
 * How every function is bundled: one set of esbuild options, used by the CDK app (its
 * asset built by esbuild on this machine, no Docker) and by `npm run bench`, so that the
 * bench measures the very bundles AWS runs. tests/infra checks the two agree byte for byte.
 *
 * Code splitting: what a handler imports with `import()` (the chart renderer and ECharts,
 * the workbook reader, docx) becomes a chunk of its own beside index.mjs, read from disk
 * the first time a request needs it — not parsed at every cold start, as it would be
 * inlined in one file. NodejsFunction writes one `--outfile` and cannot split, hence a
 * plain Function whose asset is bundled here.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { type BuildOptions, build, buildSync, type Metafile, type OutputFile } from 'esbuild';
import { RASTERIZER_ASSETS, RASTERIZER_MODULE } from '../../shared/charts/assets.ts';

/** The repository root (where package-lock.json is). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** ESM bundles still meet CommonJS code that calls require() (inside the AWS SDK's deps). */
const CREATE_REQUIRE_BANNER = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/**
 * The options themselves. The SDK is bundled (not taken from the runtime): the version
 * tested is the version deployed, and tree-shaking keeps only what a function imports.
 * `module` before `main`: the SDK's ESM builds, which esbuild can tree-shake.
 */
export const BUNDLE = {
  format: 'esm',
  /** The entry's file; the chunks go to `chunks/`. */
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

/**
 * A function's code: its entry bundled by esbuild into the asset's directory. The asset's
 * hash is of that output (not of the repository); `command` names the entry only so that
 * two functions' assets are never taken for one another — it never runs, nor does Docker.
 */
export function bundledCode(entry: string): Code {
  return Code.fromAsset(ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      image: DockerImage.fromRegistry('local-esbuild-only'),
      command: ['esbuild', entry],
      local: {
        tryBundle(outputDir: string): boolean {
          writeBundle(buildSync(esbuildOptions(entry)), outputDir);
          return true;
        },
      },
    },
  });
}

/**
 * Where esbuild is told the bundle goes (it is never written there: `write: false`). A
 * source map's paths are relative to its file, and the chunks' hashed names cover their
 * maps: one place for every build, wherever the files are then written, gives the same
 * bytes and names in the CDK asset, the bench and the tests.
 */
const NOMINAL_OUT = join(ROOT, '.bundle');

/** The esbuild options of a function's bundle: `index.mjs` and its chunks, in memory. */
function esbuildOptions(entry: string): BuildOptions & { write: false } {
  return {
    entryPoints: { index: entry },
    absWorkingDir: ROOT,
    write: false,
    bundle: true,
    platform: 'node',
    format: BUNDLE.format,
    target: BUNDLE.target,
    outdir: NOMINAL_OUT,
    splitting: true,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    minify: BUNDLE.minify,
    sourcemap: BUNDLE.sourceMap,
    sourcesContent: BUNDLE.sourcesContent,
    mainFields: [...BUNDLE.mainFields],
    banner: { js: BUNDLE.banner },
    external: [...BUNDLE.external],
    // Which modules went in: a bundle that can rasterize a chart gets the rasterizer's files.
    metafile: true,
    logLevel: 'warning',
  };
}

/**
 * The files of a build (esbuildOptions) written under `outDir`, as they would have been
 * under NOMINAL_OUT; and, when the bundle holds the chart rasterizer, its wasm, font and
 * the font's licence under `assets/` (shared/charts/png.ts looks there).
 */
function writeBundle(result: { outputFiles?: readonly OutputFile[]; metafile?: Metafile }, outDir: string): void {
  for (const file of result.outputFiles ?? []) {
    const path = join(outDir, relative(NOMINAL_OUT, file.path));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.contents);
  }
  if (!Object.keys(result.metafile?.inputs ?? {}).includes(RASTERIZER_MODULE)) return;
  mkdirSync(join(outDir, 'assets'), { recursive: true });
  for (const { name, source } of Object.values(RASTERIZER_ASSETS)) copyFileSync(join(ROOT, source), join(outDir, 'assets', name));
}

/** A function's bundle built and written under `outDir` (the tests' and the bench's way). */
export async function buildFunction<M extends boolean = false>(
  entry: string,
  outDir: string,
  options: { metafile?: M; logLevel?: 'error' | 'warning' } = {},
): Promise<M extends true ? { metafile: Metafile } : object> {
  const result = await build({ ...esbuildOptions(entry), ...options, metafile: true });
  writeBundle(result, outDir);
  return result as never;
}
