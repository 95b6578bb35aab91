/**
 * The side panel's live charts: mean return and entropy against transitions, one point per
 * learner update. Chart.js with only the parts a line chart needs, so the pages stay small.
 */
import { Chart, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip);

/** The fields of a metrics record the charts plot. */
export interface ChartedMetrics {
  step: number;
  returnMean: number;
  entropy: number;
}

export interface MetricCharts {
  push(m: ChartedMetrics): void;
  /** Empties both charts (a new run starts). */
  reset(): void;
}

/** Keeps a long fast-mode run from growing the charts without bound; the shape survives thinning. */
const MAX_POINTS = 400;

function lineChart(canvas: HTMLCanvasElement, label: string, color: string): Chart<'line', { x: number; y: number }[]> {
  const muted = '#8b949e';
  const grid = '#30363d';
  return new Chart(canvas, {
    type: 'line',
    data: { datasets: [{ label, data: [], borderColor: color, backgroundColor: color, borderWidth: 2, pointRadius: 0, tension: 0.2 }] },
    options: {
      // Updates arrive several times a second in fast mode: animating each one only costs frames.
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      plugins: { tooltip: { intersect: false, mode: 'nearest' } },
      scales: {
        x: { type: 'linear', ticks: { color: muted, maxTicksLimit: 5 }, grid: { color: grid }, title: { display: true, text: 'transitions', color: muted } },
        y: { type: 'linear', ticks: { color: muted, maxTicksLimit: 5 }, grid: { color: grid }, title: { display: true, text: label, color: muted } },
      },
    },
  });
}

/** Draws into the two canvases; non-finite values (no episode finished yet) are skipped. */
export function createMetricCharts(returnCanvas: HTMLCanvasElement, entropyCanvas: HTMLCanvasElement): MetricCharts {
  const charts = [
    { chart: lineChart(returnCanvas, 'mean return', '#3fb950'), value: (m: ChartedMetrics) => m.returnMean },
    { chart: lineChart(entropyCanvas, 'entropy', '#58a6ff'), value: (m: ChartedMetrics) => m.entropy },
  ];
  return {
    push(m) {
      for (const { chart, value } of charts) {
        const y = value(m);
        if (!Number.isFinite(y) || !Number.isFinite(m.step)) continue;
        const data = chart.data.datasets[0]!.data;
        data.push({ x: m.step, y });
        // Drop every other point rather than the oldest: the whole run stays in view.
        if (data.length > MAX_POINTS) chart.data.datasets[0]!.data = data.filter((_, i) => i % 2 === 0 || i === data.length - 1);
        chart.update('none');
      }
    },
    reset() {
      for (const { chart } of charts) {
        chart.data.datasets[0]!.data = [];
        chart.update('none');
      }
    },
  };
}
