/**
 * The node's charts (`GET /v1/orgs/{org}/charts/{chart}`): the trend of a chosen figure
 * over the year with last year's, who sent each month, the units (or the district's
 * towns) side by side for the month. Fetched when asked for (the token is a header, so not
 * an <img src>), then shown as an image from a blob URL: an SVG in an <img> runs nothing
 * and reaches nothing of the page. Its title is the image's alt, and its text alternative
 * — every figure in words — is printed under it.
 */
import { request, messageOf } from '../app/api.ts';
import { catalogueOrNone } from '../app/catalogue.ts';
import { $, el, select, setStatus, show, typed } from '../app/dom.ts';
import { orgPath, viewedOrg } from '../app/org.ts';
import { currentPeriod } from '../app/period.ts';
import { me, registerControls, session, whileBusy } from '../app/session.ts';
import type { Org } from '../app/types.ts';

let shown: string | null = null;

/** The figures to choose from: the catalogue's, in its order (hazards first). */
function fillMetrics(): void {
  const choice = select('chart-metric');
  if (choice.options.length) return;
  const keys = session.catalogue ? Object.keys(session.catalogue.keys) : ['general_hazards_found'];
  keys.forEach((key) => {
    const info = session.catalogue ? session.catalogue.keys[key] : undefined;
    choice.appendChild(el('option', { value: key }, info ? `${info.label}（${info.unit}）` : key));
  });
  choice.value = 'general_hazards_found';
}

/** The towns chart is the district's: offered only when the district is shown. */
export function describeCharts(org: Org): void {
  const district = org.level === 'district';
  const towns = select('chart-kind').querySelector('option[value="towns"]');
  if (towns instanceof HTMLOptionElement) towns.hidden = towns.disabled = !district;
  if (!district && select('chart-kind').value === 'towns') select('chart-kind').value = 'units';
  clearChart();
  // The figures to choose from are there before the first chart is asked for.
  catalogueOrNone()
    .then(fillMetrics)
    .catch(() => undefined);
}

function clearChart(): void {
  show($('chart'), false);
  setStatus('chart-status', '');
  if (shown) URL.revokeObjectURL(shown);
  shown = null;
}

function chartPath(kind: string, metric: string, period: string): string {
  const when = kind === 'trend' || kind === 'heatmap' ? `year=${period.slice(0, 4)}` : `month=${period}`;
  const view = window.matchMedia('(max-width: 40em)').matches ? 'compact' : 'desktop';
  return `${orgPath(viewedOrg(me()).code, 'charts', kind)}?metric=${encodeURIComponent(metric)}&${when}&view=${view}`;
}

function showChart(): Promise<void> {
  const period = currentPeriod();
  if (!period) {
    setStatus('chart-status', '请先选择月份。', 'error');
    return Promise.resolve();
  }
  const generation = session.generation;
  setStatus('chart-status', '正在生成图表…', 'busy');
  const path = chartPath(select('chart-kind').value, select('chart-metric').value, period);
  return whileBusy(
    request(path)
      .then((r) => r.text())
      .then((svg) => {
        if (session.generation === generation) render(svg);
      })
      .catch((error: unknown) => setStatus('chart-status', messageOf(error), 'error')),
  );
}

function render(svg: string): void {
  // Read, never inserted: only the title and the description are taken out as text.
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const title = doc.querySelector('svg > title')?.textContent ?? '图表';
  const desc = doc.querySelector('svg > desc')?.textContent ?? '';
  clearChart();
  shown = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  const image = typed('chart-image', HTMLImageElement);
  image.src = shown;
  image.alt = title;
  $('chart-title').textContent = title;
  $('chart-desc').textContent = desc;
  setStatus('chart-status', '');
  show($('chart'), true);
}

export function initCharts(): void {
  $('show-chart').addEventListener('click', () => {
    catalogueOrNone()
      .then(fillMetrics)
      .then(showChart)
      .catch(() => undefined);
  });
  select('chart-kind').addEventListener('change', clearChart);
  registerControls(['show-chart', 'chart-kind', 'chart-metric']);
}
