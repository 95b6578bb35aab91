/**
 * `metrics.jsonl`: one JSON line per learner update, appended as training goes so that a crashed
 * or interrupted run keeps every update it finished, and so `tail -f` and `jq` work on it live.
 */
import { engineDeviceOf } from '../rl/metrics.js';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PhaserPpoError } from '../core/errors.js';
import type { UpdateMetrics } from '../rl/metrics.js';
import { readRegularFile } from '../io/files.node.js';

/**
 * Appends {@link UpdateMetrics} to `DIR/metrics.jsonl`. NaN (a mean return before any episode
 * ends) is written as `null`, since JSON has no NaN; {@link readMetricsLog} turns it back.
 *
 * @example
 * const log = new MetricsLog(args.out);
 * for await (const m of learner.train()) log.append(m);
 */
export class MetricsLog {
  /** The file written to. */
  readonly path: string;

  /** Creates `dir` if needed and starts an empty log, or continues the existing one if `resume`. */
  constructor(dir: string, opts: { resume?: boolean } = {}) {
    mkdirSync(dir, { recursive: true });
    this.path = join(dir, 'metrics.jsonl');
    // A fresh run in an old directory must not be charted together with the old run's updates.
    if (!opts.resume) writeFileSync(this.path, '');
  }

  /** Writes one line synchronously: nothing is buffered, so nothing is lost if the process dies. */
  append(m: UpdateMetrics): void {
    // JSON.stringify already writes NaN and ±Infinity as null.
    appendFileSync(this.path, JSON.stringify(m) + '\n');
  }
}

/** The largest metrics log read back: ~400,000 updates of ~600 bytes. */
export const MAX_METRICS_BYTES = 256 * 1024 * 1024;

/**
 * Reads a `metrics.jsonl` back, `null` numbers as NaN. A last line cut short (the process died
 * mid-write) is skipped; any other unreadable line throws with its line number.
 */
export function readMetricsLog(path: string): UpdateMetrics[] {
  // A regular file only (a FIFO would block the reader), at most MAX_METRICS_BYTES counted while reading.
  const text = readRegularFile(path, MAX_METRICS_BYTES, (m) => new PhaserPpoError(`${path}: ${m}`), { followLinks: true }).toString('utf8');
  const lines = text.split('\n');
  const out: UpdateMetrics[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]?.trim() ?? '';
    if (line === '') continue;
    const isUnterminatedLast = i === lines.length - 1;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      if (isUnterminatedLast) break;
      throw new PhaserPpoError(`${path}:${i + 1}: not a JSON line: ${line.slice(0, 80)}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new PhaserPpoError(`${path}:${i + 1}: expected a JSON object, got ${line.slice(0, 80)}`);
    }
    const record = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, v === null ? NaN : v]));
    // Lines written before engine and device were separate fields carry one `backend`: read them as both.
    if (record.device === undefined) {
      try {
        Object.assign(record, engineDeviceOf(record));
      } catch (err) {
        throw new PhaserPpoError(`${path}:${i + 1}: ${(err as Error).message}`);
      }
    }
    out.push(record as unknown as UpdateMetrics);
  }
  return out;
}
