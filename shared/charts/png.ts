/**
 * A chart's SVG as a PNG, for the Word document's fallback picture (Word and WPS show an
 * SVG picture only beside a PNG of it): resvg (WebAssembly, no native binary, so the same
 * on Lambda and here) with the project's own CJK font — Lambda has none, and the system's
 * is not asked (`loadSystemFonts: false`), so a picture is drawn the same everywhere.
 * Loaded only by the documents that have pictures: the wasm is 2.4 MB, the font 1.6 MB.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import { RASTERIZER_ASSETS } from './assets.ts';

/** The chart font's family: Noto Sans CJK SC cut to GB2312 and ASCII (scripts/subset-chart-font.py). */
const FAMILY = 'Noto Sans CJK SC';

/**
 * Where an asset is: the repository's (running from source), or `assets/` beside the
 * bundle's entry or its chunk (the Lambda asset: infra/cdk/bundling.ts copies them there).
 */
function assetPath({ name, source }: { readonly name: string; readonly source: string }): string {
  const candidates = [
    new URL(`../../${source}`, import.meta.url),
    new URL(`./assets/${name}`, import.meta.url),
    new URL(`../assets/${name}`, import.meta.url),
  ];
  const found = candidates.map((u) => fileURLToPath(u)).find((p) => existsSync(p));
  if (!found) throw new Error(`chart rasterizer: ${name} not found (looked in ${candidates.map(String).join(', ')})`);
  return found;
}

let ready: Promise<Uint8Array> | undefined;

/** The wasm started and the font read, once per process. */
function start(): Promise<Uint8Array> {
  ready ??= (async () => {
    const [wasm, font] = await Promise.all([readFile(assetPath(RASTERIZER_ASSETS.wasm)), readFile(assetPath(RASTERIZER_ASSETS.font))]);
    await initWasm(wasm);
    return new Uint8Array(font);
  })();
  return ready;
}

/** The SVG drawn `scale` times its size (2: sharp when printed at the document's width), on white. */
export async function svgToPng(svg: string, width: number, scale = 2): Promise<Uint8Array> {
  const font = await start();
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: Math.round(width * scale) },
    background: '#ffffff',
    font: { fontBuffers: [font], loadSystemFonts: false, defaultFontFamily: FAMILY, sansSerifFamily: FAMILY, serifFamily: FAMILY },
  });
  try {
    const image = resvg.render();
    const png = image.asPng();
    image.free();
    return png;
  } finally {
    resvg.free();
  }
}
