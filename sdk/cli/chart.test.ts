import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import type { UpdateMetrics } from '../rl/metrics.js';
import { learningCurveSvg, lessonChanges, writeLearningCurve } from './chart.js';

/** A fake run: no finished episode in the first two updates (NaN), then a rising curve. */
function fakeRun(points: number): UpdateMetrics[] {
  return Array.from({ length: points }, (_, i) => {
    const r = i < 2 ? NaN : 20 + 15 * i;
    return {
      update: i + 1, step: (i + 1) * 2048, time: i, episodes: i * 5, returnMean: r, returnMin: r - 10, returnMax: r + 10,
      episodeLength: r, policyLoss: 0, valueLoss: 1, entropy: 0.69 - 0.01 * i, approxKl: 0.01, clipFraction: 0.1,
      explainedVariance: 0.5, gradNorm: 0.4, learningRate: 3e-4, clipCoef: 0.2, epochs: 10, minibatches: 40, klStop: false, policyLagMean: 0, scheduleDone: false, policyLag: 0, sps: 5000, engine: 'tfjs', device: 'cpu',
    };
  });
}

describe('learningCurveSvg', () => {
  it('renders a standalone SVG with the curve and the title', async () => {
    const svg = await learningCurveSvg(fakeRun(30), { title: 'CartPole seed 1', targetReturn: 475 });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('<path');
    expect(svg).toContain('CartPole seed 1');
    expect(svg).not.toContain('NaN');
  });

  it('adds an ELO panel for a self-play run, and none otherwise', async () => {
    const withElo = await learningCurveSvg(fakeRun(10).map((m, i) => ({ ...m, elo: 1200 + 10 * i })), { title: 'sumo' });
    expect(withElo).toContain("Y-axis titled 'ELO'");
    expect(await learningCurveSvg(fakeRun(10), { title: 'plain' })).not.toContain('ELO');
  });

  it('marks a curriculum\'s lesson changes with the new lessons', async () => {
    const run = fakeRun(6).map((m, i) => ({ ...m, lessons: { gapWidth: i < 2 ? 0 : i < 5 ? 1 : 2, wind: 0 } }));
    expect(lessonChanges(run)).toEqual([{ step: 3 * 2048, label: 'gapWidth 1' }, { step: 6 * 2048, label: 'gapWidth 2' }]);
    expect(lessonChanges(fakeRun(6))).toEqual([]);
    const svg = await learningCurveSvg(run, { title: 'lessons' });
    expect(svg).toContain('gapWidth 1');
    expect(svg).toContain('gapWidth 2');
  });

  it('renders a run with no finished episode yet', async () => {
    const svg = await learningCurveSvg(fakeRun(2), { title: 'too early' });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('too early');
  });

  it('writes the file, creating its directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'phaser-ppo-chart-'));
    try {
      const path = join(dir, 'nested', 'learning-curve.svg');
      await writeLearningCurve(path, fakeRun(10), { title: 'written' });
      expect(readFileSync(path, 'utf8')).toMatch(/^<svg[\s\S]*written[\s\S]*<\/svg>$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
