/**
 * Training progress on the terminal: a live bar when a person is watching (a TTY), otherwise a
 * plain line every few seconds, because CI logs and redirected files keep every byte and a bar's
 * carriage returns and escape codes turn them into noise.
 */
import { SingleBar } from 'cli-progress';
import type { UpdateMetrics } from '../rl/metrics.js';

/** How {@link TrainingProgress} reports. */
export interface ProgressOptions {
  /** False (`--quiet`) asks for plain lines even on a TTY. */
  enabled: boolean;
  /** Where to write; stderr by default, so stdout stays clean for results. */
  stream?: NodeJS.WritableStream;
  /** Wall time between plain lines (default 5000 ms). */
  intervalMs?: number;
  /** Clock in ms, replaceable in tests. */
  now?: () => number;
}

/**
 * Shows steps done/total, steps/s, mean return and ETA while training. Call `stop()` in a
 * `finally`: the bar's redraw timer keeps Node alive until then.
 *
 * @example
 * const progress = new TrainingProgress(config.totalSteps, { enabled: !args.quiet });
 * try { for await (const m of learner.train()) progress.update(m); } finally { progress.stop(); }
 */
export class TrainingProgress {
  private readonly stream: NodeJS.WritableStream;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly bar: SingleBar | undefined;
  private latest: ProgressMetrics | undefined;
  private printed: ProgressMetrics | undefined;
  private printedAt = -Infinity;
  private stopped = false;

  constructor(private readonly totalSteps: number, opts: ProgressOptions) {
    this.stream = opts.stream ?? process.stderr;
    this.intervalMs = opts.intervalMs ?? 5000;
    this.now = opts.now ?? Date.now;
    const isTTY = (this.stream as { isTTY?: boolean }).isTTY === true;
    if (opts.enabled && isTTY && !runningInCI()) {
      this.bar = new SingleBar({
        stream: this.stream,
        format: '{bar} {steps} | {sps} steps/s | return {ret} | eta {etaText}',
        // 20 cells keep the whole line under 80 columns with a six-digit total and an hour-long ETA.
        barsize: 20,
        barCompleteChar: '█',
        barIncompleteChar: '░',
        hideCursor: false,
        // cli-progress's SIGINT handler would swallow Ctrl-C: the run must stay interruptible.
        gracefulExit: false,
      });
      this.bar.start(totalSteps, 0, this.payload(undefined));
    }
  }

  /** Records one learner update and redraws (bar) or prints if the interval has passed (plain). */
  update(m: ProgressMetrics): void {
    if (this.stopped) return;
    this.latest = m;
    if (this.bar) {
      this.bar.update(Math.min(m.step, this.totalSteps), this.payload(m));
      return;
    }
    const t = this.now();
    if (t - this.printedAt >= this.intervalMs) this.print(m, t);
  }

  /** Prints a one-off line (a milestone) without breaking the bar. */
  note(text: string): void {
    if (this.stopped) return;
    // On a TTY: clear the bar's line, print, and let the next update redraw the bar below.
    this.stream.write((this.bar ? '\r\x1b[K' : '') + text + '\n');
  }

  /** Finishes the bar, or prints the last plain line if it has not been printed yet. Idempotent. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.bar) this.bar.stop();
    else if (this.latest && this.latest !== this.printed) this.print(this.latest, this.now());
  }

  private print(m: ProgressMetrics, t: number): void {
    this.stream.write(progressLine(m, this.totalSteps) + '\n');
    this.printed = m;
    this.printedAt = t;
  }

  private payload(m: ProgressMetrics | undefined): Record<string, string> {
    return {
      steps: `${m?.step ?? 0}/${this.totalSteps}`,
      sps: m ? String(Math.round(m.sps)) : '–',
      ret: formatReturn(m?.returnMean ?? NaN) + (m?.ratings ? ` | ${formatElo(m.ratings)}` : m?.elo !== undefined ? ` | elo ${Math.round(m.elo)}` : '')
        + (m ? formatDemos(m).replaceAll('  ', ' | ') : ''),
      etaText: m ? formatEta(m, this.totalSteps) : '–',
    };
  }
}

/**
 * What the progress shows of an update: its metrics and, in a game of several behaviors trained
 * against each other, every behavior's ELO.
 */
export type ProgressMetrics = UpdateMetrics & { ratings?: Readonly<Record<string, number>> };

/**
 * One plain progress line: `step 40960/300000  sps 12345  return 123.4  eta 21s`, with the ELO
 * before the eta (`elo 1234` with self-play, `elo chase 1250 runner 1150` in a game of several
 * behaviors), then what demonstrations teach (`bc 0.912 ×0.45  gail 1.21 12%`, see
 * {@link formatDemos}), and each environment parameter's lesson after it.
 */
export function progressLine(m: ProgressMetrics, totalSteps: number): string {
  const elo = m.ratings ? `  ${formatElo(m.ratings)}` : m.elo !== undefined ? `  elo ${Math.round(m.elo)}` : '';
  return `step ${m.step}/${totalSteps}  sps ${Math.round(m.sps)}  return ${formatReturn(m.returnMean)}${elo}${formatDemos(m)}  eta ${formatEta(m, totalSteps)}${formatLessons(m)}`;
}

/** Where a resumed run's session began: the checkpoint's steps, and the time its continued log had reached (0 in a new --out). */
export interface SessionStart {
  steps: number;
  time: number;
}

/**
 * The closing line's figures of one behavior: `8,192 steps in 0.6 s (13,653 steps/s on kernels,
 * wasm-simd), mean return …`. A resumed run says how many of its steps were this session's, and
 * its steps/s are this session's steps over this session's time (the checkpoint's steps were
 * trained by another process, in time this one never saw).
 */
export function formatRunTotals(last: UpdateMetrics, start: SessionStart): string {
  const steps = last.step - start.steps;
  const time = last.time - start.time;
  const total = last.step.toLocaleString('en-US');
  const ret = `mean return ${formatReturn(last.returnMean)} over the last 20 episodes`;
  if (steps <= 0) return `${total} steps, none this session, ${ret}`;
  const speed = `${time > 0 ? Math.round(steps / time).toLocaleString('en-US') : '–'} steps/s on ${last.engine}, ${last.device}`;
  const done = start.steps > 0 ? `${total} steps, ${steps.toLocaleString('en-US')} of them this session in` : `${total} steps in`;
  return `${done} ${time.toFixed(1)} s (${speed}), ${ret}`;
}

/**
 * Learning from demonstrations: `  bc 0.912 ×0.45` (behaviour cloning's NLL on the demonstrations
 * and its annealed strength) and `  gail 1.21 12%` (the discriminator's loss and GAIL's share of the reward).
 */
function formatDemos(m: UpdateMetrics): string {
  const bc = m.bcStrength !== undefined ? `  bc ${Number.isFinite(m.bcLoss) ? m.bcLoss!.toFixed(3) : '–'} ×${+m.bcStrength.toFixed(3)}` : '';
  const gail = m.gailRewardShare !== undefined ? `  gail ${Number.isFinite(m.gailLoss) ? m.gailLoss!.toFixed(2) : '–'} ${(100 * m.gailRewardShare).toFixed(0)}%` : '';
  return bc + gail;
}

/** `elo chase 1250 runner 1150`. */
function formatElo(elo: Readonly<Record<string, number>>): string {
  return `elo ${Object.entries(elo).map(([name, r]) => `${name} ${Math.round(r)}`).join(' ')}`;
}

/** `  gapWidth 90 (lesson 2)` per environment parameter, in a run that has them. */
function formatLessons(m: UpdateMetrics): string {
  if (!m.lessons) return '';
  return Object.entries(m.lessons).map(([name, lesson]) => `  ${name} ${+(m.envParams?.[name] ?? NaN).toPrecision(4)} (lesson ${lesson})`).join('');
}

function formatReturn(r: number): string {
  return Number.isFinite(r) ? r.toFixed(1) : '–';
}

/** Remaining steps at the run's average speed so far, as `21s`, `3m05s` or `1h02m`. */
function formatEta(m: UpdateMetrics, totalSteps: number): string {
  if (!(m.sps > 0)) return '–';
  const s = Math.max(0, Math.round((totalSteps - m.step) / m.sps));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** CI services set CI (GitHub, GitLab, CircleCI, Travis...); some set it to "false" to opt out. */
function runningInCI(): boolean {
  const ci = process.env['CI'];
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}
