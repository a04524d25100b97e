/**
 * The chart rasterizer as Lambda runs it: a bundle that holds shared/charts/png.ts carries
 * the resvg wasm, the chart font and its licence under assets/, and the bundled code finds
 * them there (no node_modules, no repository beside it) and draws Chinese text; a bundle
 * that cannot rasterize carries none of them.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildFunction, ROOT } from '../../infra/cdk/bundling.ts';
import { WIRING } from '../../infra/wiring.ts';
import { RASTERIZER_ASSETS } from '../../shared/charts/assets.ts';

const dirs: string[] = [];
const outDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'cunbao-raster-'));
  dirs.push(dir);
  return dir;
};

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const ASSET_NAMES = Object.values(RASTERIZER_ASSETS)
  .map((a) => a.name)
  .sort();

/** A chart-like SVG with Chinese text, as ECharts writes its labels. */
const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60"><rect width="200" height="60" fill="#fff"/>' +
  '<text x="10" y="36" font-size="20px" font-family="sans-serif" fill="#000">鹅池镇排查隐患</text></svg>';

describe('the chart rasterizer in a bundle', () => {
  it('puts the wasm, the font and its licence beside the api function’s code', async () => {
    // Prepare
    const dir = outDir();

    // Act
    await buildFunction(join(ROOT, WIRING.api.entry), dir);

    // Assess
    expect(readdirSync(join(dir, 'assets')).sort()).toEqual(ASSET_NAMES);
  });

  it('puts none of them beside a function that never draws a picture', async () => {
    // Prepare
    const dir = outDir();

    // Act
    await buildFunction(join(ROOT, WIRING.ingest.entry), dir);

    // Assess
    expect(existsSync(join(dir, 'assets'))).toBe(false);
  });

  it('draws Chinese text from the bundle alone, with its own font', async () => {
    // Prepare: the rasterizer bundled by itself, run from a directory with nothing else in it
    const dir = outDir();
    await buildFunction(join(ROOT, 'shared/charts/png.ts'), dir);
    const { svgToPng } = (await import(pathToFileURL(join(dir, 'index.mjs')).href)) as typeof import('../../shared/charts/png.ts');
    const blank = SVG.replace('鹅池镇排查隐患', '');

    // Act
    const png = await svgToPng(SVG, 200, 1);
    const empty = await svgToPng(blank, 200, 1);

    // Assess: a PNG, and the text drew something (a page without it compresses smaller)
    expect([...png.slice(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG');
    expect(png.length).toBeGreaterThan(empty.length + 300);
  });
});
