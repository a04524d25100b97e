/**
 * The files the chart rasterizer (shared/charts/png.ts) reads at run time: the resvg
 * WebAssembly module and the chart font with its licence. Named once, for the rasterizer
 * and for the bundling that copies them beside a function's code (infra/cdk/bundling.ts).
 */
export const RASTERIZER_ASSETS = {
  wasm: { name: 'resvg.wasm', source: 'node_modules/@resvg/resvg-wasm/index_bg.wasm' },
  font: { name: 'NotoSansSC-chart-subset.otf', source: 'assets/fonts/NotoSansSC-chart-subset.otf' },
  licence: { name: 'OFL.txt', source: 'assets/fonts/OFL.txt' },
} as const;

/** The module whose presence in a bundle means the bundle needs them. */
export const RASTERIZER_MODULE = 'shared/charts/png.ts';
