/**
 * Matter's clock, `Common.now`, only times `Engine.update` (its `timing.lastElapsed`), twice per
 * step. It reads `window.performance.now()`: where the phaser shim stands in for `window` (Node,
 * workers: a Proxy over the global scope) that is three Proxy traps per call, ~1.8 µs a step, 4% of
 * chase's training (a CPU profile of `bench:workers`). {@link directMatterClock} points it at
 * `performance.now()` itself: the clock a page's Matter reads anyway, so nothing else changes.
 */

/** The part of a matter-js module this touches (`import Matter from 'matter-js'`). */
export interface MatterWithClock {
  Common: { now: () => number };
}

/**
 * Makes `matter.Common.now` read `performance.now()` directly (not through `window`); call once
 * where the game's simulation imports matter-js.
 *
 * @example
 * import Matter from 'matter-js';
 * import { directMatterClock } from 'phaser-ppo/scene';
 * directMatterClock(Matter);
 */
export function directMatterClock(matter: MatterWithClock): void {
  matter.Common.now = performanceNow;
}

function performanceNow(): number {
  return performance.now();
}
