/**
 * The gallery's live charts: small multiples, one line chart per metric against transitions, one
 * point per learner update. Chart.js with only the parts a line chart needs, so the page stays small.
 */
import { Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';

// The legend only for the ELO chart (several lines); the metric charts have one line each.
Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip, Legend);

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
      plugins: { tooltip: { intersect: false, mode: 'nearest' }, legend: { display: false } },
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

/** The ELO chart of Rivals mode: one line per behavior against the run's updates (all behaviors'). */
export interface EloChart {
  /** Every behavior's rating after the run's `updates`-th update. */
  push(updates: number, ratings: Readonly<Record<string, number>>): void;
  reset(): void;
  /** Points per behavior's line, by behavior (for tests). */
  points(): Record<string, number>;
}

/** One color per behavior line, in the order the behaviors first appear. */
const ELO_COLORS = ['#58a6ff', '#f85149', '#3fb950', '#d29922'] as const;

/**
 * A titled chart in `container` (testid `chart-elo`), hidden until the first rating: a line per
 * behavior, added when its name first appears in the ratings.
 */
export function createEloChart(container: HTMLElement): EloChart {
  const cell = document.createElement('figure');
  cell.className = 'chart';
  cell.dataset.testid = 'chart-elo';
  cell.hidden = true;
  const title = document.createElement('figcaption');
  title.textContent = 'ELO per behavior';
  const box = document.createElement('div');
  box.className = 'chart-box';
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', 'ELO of each behavior per learner update');
  box.append(canvas);
  cell.append(title, box);
  container.append(cell);
  const chart = lineChart(canvas, ELO_COLORS[0]);
  chart.data.datasets = [];
  chart.options.plugins = { ...chart.options.plugins, legend: { display: true, labels: { color: '#8b949e', boxWidth: 10, font: { size: 9 } } } };
  let redraw: ReturnType<typeof setTimeout> | null = null;
  const draw = () => {
    redraw = null;
    chart.update('none');
  };
  const series = (name: string) => {
    let set = chart.data.datasets.find((d) => d.label === name);
    if (!set) {
      const color = ELO_COLORS[chart.data.datasets.length % ELO_COLORS.length]!;
      set = { label: name, data: [], borderColor: color, backgroundColor: color, borderWidth: 1.5, pointRadius: 0, tension: 0.2 };
      chart.data.datasets.push(set);
    }
    return set;
  };
  return {
    push(updates, ratings) {
      for (const [name, elo] of Object.entries(ratings)) {
        if (!Number.isFinite(elo)) continue;
        const set = series(name);
        set.data.push({ x: updates, y: elo });
        if (set.data.length > MAX_POINTS) set.data = set.data.filter((_, i) => i % 2 === 0 || i === set!.data.length - 1);
      }
      cell.hidden = chart.data.datasets.length === 0;
      redraw ??= setTimeout(draw, REDRAW_MS);
    },
    reset() {
      chart.data.datasets = [];
      cell.hidden = true;
      if (redraw) clearTimeout(redraw);
      draw();
    },
    points: () => Object.fromEntries(chart.data.datasets.map((d) => [d.label ?? '', d.data.length])),
  };
}
