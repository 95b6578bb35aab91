/**
 * Finished episodes before a run's mean return is taken as settled (a "solved" message, a target
 * return that stops training, a learning test's goal): the first episodes to finish are the quick
 * ones, often the quick successes, so an untrained policy's first window can look solved. Five
 * windows of the 20 episodes `returnMean` averages.
 */
export const SETTLED_EPISODES = 100;

/** Statistics of the last N finished episodes: what `returnMean` and friends are computed from. */
export class EpisodeWindow {
  private readonly returns: number[] = [];
  private readonly lengths: number[] = [];
  /** Episodes seen in total. */
  count = 0;

  constructor(readonly size = 20) {}

  push(ret: number, length: number): void {
    this.count++;
    this.returns.push(ret);
    this.lengths.push(length);
    if (this.returns.length > this.size) {
      this.returns.shift();
      this.lengths.shift();
    }
  }

  /** Mean, min and max return and mean length of the window; NaN before any episode ends. */
  summary(): { returnMean: number; returnMin: number; returnMax: number; episodeLength: number } {
    const n = this.returns.length;
    if (n === 0) return { returnMean: NaN, returnMin: NaN, returnMax: NaN, episodeLength: NaN };
    return {
      returnMean: this.returns.reduce((s, r) => s + r, 0) / n,
      returnMin: Math.min(...this.returns),
      returnMax: Math.max(...this.returns),
      episodeLength: this.lengths.reduce((s, l) => s + l, 0) / n,
    };
  }
}
