import { Writable } from 'node:stream';
import { afterEach, describe, it, expect, vi } from 'vitest';
import type { UpdateMetrics } from '../rl/metrics.js';
import { TrainingProgress, formatRunTotals, progressLine } from './progress.js';

/** A stream that keeps what is written; `isTTY` is set only when asked for. */
function captureStream(isTTY = false): { stream: Writable & { isTTY?: boolean }; text: () => string } {
  const chunks: string[] = [];
  const stream: Writable & { isTTY?: boolean } = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  if (isTTY) stream.isTTY = true;
  return { stream, text: () => chunks.join('') };
}

function metrics(step: number, returnMean: number, sps = 1000): UpdateMetrics {
  return {
    update: step / 2048, step, time: step / sps, episodes: 0, returnMean, returnMin: returnMean, returnMax: returnMean,
    episodeLength: 0, policyLoss: 0, valueLoss: 0, entropy: 0, approxKl: 0, clipFraction: 0,
    explainedVariance: 0, gradNorm: 0, learningRate: 3e-4, clipCoef: 0.2, epochs: 10, minibatches: 40, klStop: false, policyLagMean: 0, scheduleDone: false, policyLag: 0, sps, engine: 'tfjs', device: 'cpu',
  };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('TrainingProgress on a non-TTY stream', () => {
  it('prints plain lines at most once per interval, and the last one on stop', () => {
    const { stream, text } = captureStream();
    let t = 0;
    const progress = new TrainingProgress(300000, { enabled: true, stream, now: () => t });

    progress.update(metrics(2048, NaN, 12345)); // first update prints at once
    t = 1000;
    progress.update(metrics(4096, 10)); // too soon
    t = 5000;
    progress.update(metrics(40960, 123.44, 12345)); // interval passed
    t = 6000;
    progress.update(metrics(43008, 130)); // too soon; printed by stop
    progress.stop();
    progress.stop();

    expect(text().split('\n')).toEqual([
      'step 2048/300000  sps 12345  return –  eta 24s',
      'step 40960/300000  sps 12345  return 123.4  eta 21s',
      'step 43008/300000  sps 1000  return 130.0  eta 4m17s',
      '',
    ]);
    expect(text()).not.toMatch(/\x1b|\r/);
  });

  it('falls back to plain lines on a TTY when disabled or in CI', () => {
    for (const [enabled, ci] of [[false, ''], [true, 'true']] as const) {
      vi.stubEnv('CI', ci);
      const { stream, text } = captureStream(true);
      const progress = new TrainingProgress(1000, { enabled, stream, now: () => 0 });
      progress.update(metrics(1000, 5, 100));
      progress.stop();
      expect(text()).toBe('step 1000/1000  sps 100  return 5.0  eta 0s\n');
    }
  });

  it('prints nothing when stopped before any update', () => {
    const { stream, text } = captureStream();
    new TrainingProgress(1000, { enabled: true, stream }).stop();
    expect(text()).toBe('');
  });
});

describe('TrainingProgress on a TTY', () => {
  it('draws a bar with steps, speed, return and ETA', () => {
    vi.stubEnv('CI', '');
    const { stream, text } = captureStream(true);
    const progress = new TrainingProgress(300000, { enabled: true, stream });
    progress.update(metrics(40960, 123.44, 12345));
    progress.stop();
    expect(text()).toContain('40960/300000 | 12345 steps/s | return 123.4 | eta 21s');
  });
});

describe('progressLine', () => {
  it('formats long ETAs in hours and minutes', () => {
    expect(progressLine(metrics(0, NaN, 10), 1e6)).toBe('step 0/1000000  sps 10  return –  eta 27h46m');
  });

  it('shows the learning policy\'s ELO in a self-play run', () => {
    expect(progressLine({ ...metrics(2048, 0.25, 1024), elo: 1234.6 }, 4096)).toBe('step 2048/4096  sps 1024  return 0.3  elo 1235  eta 2s');
  });

  it('shows each environment parameter\'s value and lesson in a run with a curriculum', () => {
    const m = { ...metrics(0, NaN, 10), lessons: { gapWidth: 3, wind: 0 }, envParams: { gapWidth: 150, wind: 0.123456 } };
    expect(progressLine(m, 1e6)).toBe('step 0/1000000  sps 10  return –  eta 27h46m  gapWidth 150 (lesson 3)  wind 0.1235 (lesson 0)');
  });

  it('shows what demonstrations teach: cloning\'s NLL and annealed strength, the discriminator\'s loss and GAIL\'s share of the reward', () => {
    const m = { ...metrics(2048, 120.04, 1024), bcLoss: 0.81234, bcStrength: 0.4642, gailLoss: 1.1249, gailRewardShare: 0.526 };
    expect(progressLine(m, 4096)).toBe('step 2048/4096  sps 1024  return 120.0  bc 0.812 ×0.464  gail 1.12 53%  eta 2s');
    // Once the cloning strength has annealed to 0, its NLL is not measured.
    expect(progressLine({ ...metrics(4096, 1, 1024), bcLoss: NaN, bcStrength: 0 }, 4096)).toBe('step 4096/4096  sps 1024  return 1.0  bc – ×0  eta 0s');
  });

  it('ends with every behavior\'s ELO in a game of several, rounded', () => {
    expect(progressLine({ ...metrics(2048, -5.04, 1024), ratings: { chase: 1254.6, runner: 1145.4 } }, 4096)).toBe('step 2048/4096  sps 1024  return -5.0  elo chase 1255 runner 1145  eta 2s');
  });
});

describe('formatRunTotals: the closing line of train', () => {
  it("a fresh run: its steps over its time", () => {
    expect(formatRunTotals({ ...metrics(8192, 33, 4096), time: 2 }, { steps: 0, time: 0 }))
      .toBe('8,192 steps in 2.0 s (4,096 steps/s on tfjs, cpu), mean return 33.0 over the last 20 episodes');
  });

  it("a resumed run: the total, then this session's steps over this session's time (not the checkpoint's steps over this session's time)", () => {
    // Resumed at 4,096 into a new --out: the log's time starts at 0, so 2 s are all this session's.
    expect(formatRunTotals({ ...metrics(8192, 33), time: 2 }, { steps: 4096, time: 0 }))
      .toBe('8,192 steps, 4,096 of them this session in 2.0 s (2,048 steps/s on tfjs, cpu), mean return 33.0 over the last 20 episodes');
    // Resumed in its own folder: the continued log's time runs on from 10 s.
    expect(formatRunTotals({ ...metrics(8192, 33), time: 12 }, { steps: 4096, time: 10 }))
      .toBe('8,192 steps, 4,096 of them this session in 2.0 s (2,048 steps/s on tfjs, cpu), mean return 33.0 over the last 20 episodes');
    expect(formatRunTotals({ ...metrics(4096, NaN), time: 10 }, { steps: 4096, time: 10 })).toBe('4,096 steps, none this session, mean return – over the last 20 episodes');
  });
});
