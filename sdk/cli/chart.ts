/**
 * The learning-curve picture at the end of a CLI run. Vega-Lite describes it, Vega renders it
 * headlessly (`renderer: 'none'` + `toSVG()`), so no canvas or browser is needed; SVG rather
 * than PNG for the same reason.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { UpdateMetrics } from '../rl/metrics.js';
import { writeFileDurable } from '../io/files.node.js';

/** What to draw besides the curve. */
export interface ChartOptions {
  title: string;
  /** Drawn as a dashed horizontal rule: where "solved" is. */
  targetReturn?: number;
}

const WIDTH = 640;

/**
 * An SVG document: mean return (with the min–max band of the same episodes) against environment
 * steps, and below it the policy entropy, which shows when exploration collapses.
 */
export async function learningCurveSvg(metrics: UpdateMetrics[], opts: ChartOptions): Promise<string> {
  const view = new vega.View(vega.parse(compile(learningCurveSpec(metrics, opts)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Renders {@link learningCurveSvg} into `path`, creating its directory. */
export async function writeLearningCurve(path: string, metrics: UpdateMetrics[], opts: ChartOptions): Promise<void> {
  const svg = await learningCurveSvg(metrics, opts);
  await mkdir(dirname(path), { recursive: true });
  // Written beside and renamed over: whatever was at `path` (even a FIFO) is replaced, never opened.
  writeFileDurable(path, svg);
}

/** The Vega-Lite spec behind {@link learningCurveSvg}; exported so other renderers (a page, a notebook) can draw the same chart. */
export function learningCurveSpec(metrics: UpdateMetrics[], opts: ChartOptions): TopLevelSpec {
  // NaN is "no episode finished yet": leave the point out rather than drawing it at zero.
  const returns = metrics
    .filter((m) => Number.isFinite(m.returnMean))
    .map((m) => ({ step: m.step, returnMean: m.returnMean, returnMin: finiteOr(m.returnMin, m.returnMean), returnMax: finiteOr(m.returnMax, m.returnMean) }));
  const entropy = metrics.filter((m) => Number.isFinite(m.entropy)).map((m) => ({ step: m.step, entropy: m.entropy }));
  // Self-play runs add a panel: the learning policy's ELO.
  const elo = metrics.filter((m) => m.elo !== undefined && Number.isFinite(m.elo)).map((m) => ({ step: m.step, elo: m.elo! }));
  const lessons = lessonChanges(metrics);
  const stepAxis = { field: 'step', type: 'quantitative', title: 'environment steps' } as const;
  // The panels share the x scale, so the step axis is titled once, under the bottom one.
  const topStepAxis = { ...stepAxis, title: null };

  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: opts.title, anchor: 'start', fontSize: 16 },
    background: 'white',
    config: { font: 'sans-serif', view: { stroke: null } },
    vconcat: [
      {
        width: WIDTH,
        height: 300,
        data: { values: returns },
        layer: [
          {
            mark: { type: 'area', opacity: 0.2, color: '#4c78a8' },
            encoding: { x: topStepAxis, y: { field: 'returnMin', type: 'quantitative' }, y2: { field: 'returnMax' } },
          },
          {
            mark: { type: 'line', color: '#4c78a8', strokeWidth: 2 },
            encoding: { x: topStepAxis, y: { field: 'returnMean', type: 'quantitative', title: 'return (last 20 episodes)' } },
          },
          {
            // Empty data draws no rule, which keeps the spec one shape with or without a target.
            data: { values: opts.targetReturn === undefined ? [] : [{ target: opts.targetReturn }] },
            mark: { type: 'rule', color: '#e45756', strokeDash: [6, 4], strokeWidth: 1.5 },
            encoding: { y: { field: 'target', type: 'quantitative' } },
          },
          {
            // A curriculum's lesson changes: a dotted rule and the new lessons, at the step they began.
            data: { values: lessons },
            mark: { type: 'rule', color: '#54a24b', strokeDash: [2, 3], strokeWidth: 1.5 },
            encoding: { x: topStepAxis },
          },
          {
            data: { values: lessons },
            mark: { type: 'text', color: '#54a24b', align: 'left', baseline: 'top', dx: 3, fontSize: 10 },
            encoding: { x: topStepAxis, y: { value: 4 }, text: { field: 'label' } },
          },
        ],
      },
      ...(elo.length > 0 ? [{
        width: WIDTH,
        height: 120,
        data: { values: elo },
        mark: { type: 'line' as const, color: '#f58518', strokeWidth: 1.5 },
        encoding: { x: topStepAxis, y: { field: 'elo', type: 'quantitative' as const, title: 'ELO', scale: { zero: false } } },
      }] : []),
      {
        width: WIDTH,
        height: 90,
        data: { values: entropy },
        mark: { type: 'line', color: '#72b7b2', strokeWidth: 1.5 },
        encoding: { x: stepAxis, y: { field: 'entropy', type: 'quantitative', title: 'entropy', scale: { zero: false } } },
      },
    ],
    resolve: { scale: { x: 'shared' } },
  };
}

/** Updates whose `lessons` differ from the update before: `{ step, label: 'gapWidth 2' }` (the parameters that moved, and their new lesson). */
export function lessonChanges(metrics: readonly UpdateMetrics[]): { step: number; label: string }[] {
  const out: { step: number; label: string }[] = [];
  for (let i = 1; i < metrics.length; i++) {
    const now = metrics[i]!.lessons;
    const before = metrics[i - 1]!.lessons;
    if (!now || !before) continue;
    const moved = Object.keys(now).filter((k) => now[k] !== before[k]);
    if (moved.length) out.push({ step: metrics[i]!.step, label: moved.map((k) => `${k} ${now[k]}`).join(', ') });
  }
  return out;
}

function finiteOr(x: number, fallback: number): number {
  return Number.isFinite(x) ? x : fallback;
}
