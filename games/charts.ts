/**
 * The gallery's live charts: small multiples, one line chart per metric against transitions, one
 * point per learner update. Chart.js with only the parts a line chart needs, so the page stays small.
 */
import { Chart, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip);

/** The fields of a metrics record the charts plot. */
export interface ChartedMetrics {
  step: number;
  returnMean: number;
  episodeLength: number;
  policyLoss: number;
  valueLoss: number;
  entropy: number;
  approxKl: number;
  clipFraction: number;
  sps: number;
}

/** The charts, in reading order: what learning looks like first, the learner's health after. */
export const CHARTED: readonly { key: Exclude<keyof ChartedMetrics, 'step'>; label: string; color: string }[] = [
  { key: 'returnMean', label: 'mean return', color: '#3fb950' },
  { key: 'episodeLength', label: 'episode length', color: '#56d364' },
  { key: 'policyLoss', label: 'policy loss', color: '#d2a8ff' },
  { key: 'valueLoss', label: 'value loss', color: '#bc8cff' },
  { key: 'entropy', label: 'entropy', color: '#58a6ff' },
  { key: 'approxKl', label: 'approx KL', color: '#f0883e' },
  { key: 'clipFraction', label: 'clip fraction', color: '#d29922' },
  { key: 'sps', label: 'steps/s', color: '#8b949e' },
];

export interface MetricCharts {
  push(m: ChartedMetrics): void;
  /** Empties every chart (a new run starts). */
  reset(): void;
  /** Points per chart (for tests). */
  points(): number[];
}

/** Keeps a long fast-mode run from growing the charts without bound; the shape survives thinning. */
const MAX_POINTS = 400;
const REDRAW_MS = 1000;

function lineChart(canvas: HTMLCanvasElement, color: string): Chart<'line', { x: number; y: number }[]> {
  const muted = '#8b949e';
  const grid = '#21262d';
  return new Chart(canvas, {
    type: 'line',
    data: { datasets: [{ data: [], borderColor: color, backgroundColor: color, borderWidth: 1.5, pointRadius: 0, tension: 0.2 }] },
    options: {
      // Updates arrive several times a second in fast mode: animating each one only costs frames.
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      layout: { padding: 0 },
      plugins: { tooltip: { intersect: false, mode: 'nearest' } },
      scales: {
        x: { type: 'linear', ticks: { color: muted, maxTicksLimit: 3, font: { size: 9 } }, grid: { color: grid } },
        y: { type: 'linear', ticks: { color: muted, maxTicksLimit: 3, font: { size: 9 } }, grid: { color: grid } },
      },
    },
  });
}

/**
 * Builds one titled chart per {@link CHARTED} metric inside `container` (a CSS grid lays them out).
 * Non-finite values (no episode finished yet) are skipped.
 */
export function createMetricCharts(container: HTMLElement): MetricCharts {
  const charts = CHARTED.map(({ key, label, color }) => {
    const cell = document.createElement('figure');
    cell.className = 'chart';
    cell.dataset.testid = `chart-${key}`;
    const title = document.createElement('figcaption');
    title.textContent = label;
    const box = document.createElement('div');
    box.className = 'chart-box';
    const canvas = document.createElement('canvas');
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', `${label} per learner update`);
    box.append(canvas);
    cell.append(title, box);
    container.append(cell);
    return { key, chart: lineChart(canvas, color) };
  });
  // Redraw at most every REDRAW_MS: fast mode sends several updates a second, and drawing eight
  // charts for each one takes frames from the game on a slow machine.
  let redraw: ReturnType<typeof setTimeout> | null = null;
  const draw = () => {
    redraw = null;
    for (const { chart } of charts) chart.update('none');
  };
  return {
    push(m) {
      if (!Number.isFinite(m.step)) return;
      for (const { key, chart } of charts) {
        const y = m[key];
        if (!Number.isFinite(y)) continue;
        const data = chart.data.datasets[0]!.data;
        data.push({ x: m.step, y });
        // Drop every other point rather than the oldest: the whole run stays in view.
        if (data.length > MAX_POINTS) chart.data.datasets[0]!.data = data.filter((_, i) => i % 2 === 0 || i === data.length - 1);
      }
      redraw ??= setTimeout(draw, REDRAW_MS);
    },
    reset() {
      for (const { chart } of charts) chart.data.datasets[0]!.data = [];
      if (redraw) clearTimeout(redraw);
      draw();
    },
    points: () => charts.map(({ chart }) => chart.data.datasets[0]!.data.length),
  };
}
