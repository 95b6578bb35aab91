/**
 * When a crashed learner (or fast-mode worker) is replaced, and when to give up: shared by
 * {@link ResilientLearner} (live mode's learner worker) and `FastRun` (fast mode's worker). A
 * checkpoint is taken every `checkpointEvery` good updates; a replacement starts from the last one;
 * after `maxRestarts` deaths in a row with no good update between them, the thing is broken, not
 * unlucky, and restarting stops.
 */
export interface RestartPolicyOptions {
  /** Good updates between checkpoints (default 1: after every update). */
  checkpointEvery?: number;
  /** Restarts in a row, without a good update between them, before giving up (default 3). */
  maxRestarts?: number;
}

export class RestartPolicy {
  readonly checkpointEvery: number;
  readonly maxRestarts: number;
  /** Replacements started so far. */
  restarts = 0;
  private inARow = 0;

  constructor(options: RestartPolicyOptions = {}) {
    this.checkpointEvery = options.checkpointEvery ?? 1;
    this.maxRestarts = options.maxRestarts ?? 3;
    for (const [name, v] of [['checkpointEvery', this.checkpointEvery], ['maxRestarts', this.maxRestarts]] as const) {
      if (!Number.isInteger(v) || v < (name === 'maxRestarts' ? 0 : 1)) throw new RangeError(`RestartPolicy: ${name} must be an integer ≥ ${name === 'maxRestarts' ? 0 : 1}, got ${v}`);
    }
  }

  /** Deaths since the last good update. */
  get inARowCount(): number {
    return this.inARow;
  }

  /** A good update (the `update`-th): the run of deaths ends. Returns whether to checkpoint now. */
  succeeded(update: number): boolean {
    this.inARow = 0;
    return update % this.checkpointEvery === 0;
  }

  /**
   * Something died: counts it. Returns null when it should be replaced, or the message to give up
   * with (`what` names it, e.g. `the learner`).
   */
  died(what: string, reason: string): string | null {
    if (++this.inARow > this.maxRestarts) return `${what} died ${this.maxRestarts + 1} times in a row without finishing an update (last: ${reason}); giving up`;
    this.restarts++;
    return null;
  }

  /** A new run: no restarts yet. */
  reset(): void {
    this.restarts = 0;
    this.inARow = 0;
  }
}
