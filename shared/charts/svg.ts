/**
 * A chart as an SVG string, rendered on the server by Apache ECharts (SSR, since 5.3),
 * loaded on the first chart drawn — never at a function's cold start
 * (tests/unit/lazy-imports.test.ts). ECharts' SVG has no accessible text, so the root is
 * given `role="img"`, a `<title>` and a `<desc>` (the text alternative) it points to.
 */
import type { ChartSpec } from './options.ts';

type Echarts = typeof import('echarts/core');
let loaded: Promise<Echarts> | undefined;

/** The tree-shaken ECharts: line, bar, heatmap, their components, the SVG renderer. */
function echarts(): Promise<Echarts> {
  loaded ??= (async () => {
    const [core, charts, components, renderers] = await Promise.all([
      import('echarts/core'),
      import('echarts/charts'),
      import('echarts/components'),
      import('echarts/renderers'),
    ]);
    core.use([
      charts.LineChart,
      charts.BarChart,
      charts.HeatmapChart,
      components.TitleComponent,
      components.GridComponent,
      components.LegendComponent,
      components.VisualMapComponent,
      renderers.SVGRenderer,
    ]);
    return core;
  })();
  return loaded;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A stable id per chart, so the same chart renders to the same bytes (the ETag) and two charts on a page differ. */
function idOf(spec: ChartSpec): string {
  let h = 5381;
  for (const c of `${spec.title}|${spec.description}|${spec.width}`) h = ((h * 33) ^ c.charCodeAt(0)) >>> 0;
  return `chart-${h.toString(36)}`;
}

/**
 * zrender numbers its CSS classes by counters of the process (zr7-cls-3): numbered anew in
 * order of appearance under the chart's id, the same chart is the same bytes (its ETag),
 * and two charts inlined in one page keep their hover styles apart.
 */
function stableClasses(svg: string, id: string): string {
  const names = new Map<string, string>();
  return svg.replace(/zr\d+-cls-\d+/g, (name) => {
    if (!names.has(name)) names.set(name, `${id}-c${names.size}`);
    return names.get(name)!;
  });
}

/**
 * ECharts writes text styles as `style=""` and hover rules in a `<style>`: both blocked
 * where the SVG inherits a strict CSP (the page shows it from a blob: URL) and where it
 * is served itself (`default-src 'none'`). The text styles become presentation attributes
 * (the same rendering); the hover rules, of no use in a picture, are dropped.
 */
function withoutInlineStyle(svg: string): string {
  return svg.replace(/<style[^>]*>[\s\S]*?<\/style>/g, '').replace(/ style="([^"]*)"/g, (_, css: string) =>
    css
      .split(';')
      .map((d) => d.split(':').map((x) => x.trim()))
      .filter(([name, value]) => name && value && /^(font-size|font-family|font-weight)$/.test(name))
      .map(([name, value]) => ` ${name}="${value}"`)
      .join(''),
  );
}

export async function renderChart(spec: ChartSpec): Promise<string> {
  const core = await echarts();
  const chart = core.init(null, null, { renderer: 'svg', ssr: true, width: spec.width, height: spec.height });
  try {
    chart.setOption(spec.option);
    const svg = chart.renderToSVGString();
    const id = idOf(spec);
    const a11y = `<title id="${id}-title">${escapeXml(spec.title)}</title><desc id="${id}-desc">${escapeXml(spec.description)}</desc>`;
    return withoutInlineStyle(stableClasses(svg, id))
      .replace(/^<svg /, `<svg role="img" aria-labelledby="${id}-title" aria-describedby="${id}-desc" `)
      .replace(/(<svg[^>]*>)/, `$1${a11y}`);
  } finally {
    // Without it ECharts keeps a timer, and the process (or the Lambda's event loop) never idles.
    chart.dispose();
  }
}
