/** A tiny two-behavior game for the bridge's tests: walkers on a line, with known rewards and ends. */
import { ActionSpec, type ActionBuffers } from '../adapter/action-spec.js';
import { Agent } from '../adapter/agent.js';
import type { ObservationWriter } from '../adapter/observation-writer.js';
import type { HeadlessGame } from '../runtime/game.js';

/**
 * Moves by its discrete action − 1 each tick (observes its position); rewarded with the position
 * it reached. Its episode terminates once it reaches `goal`, and is cut (truncated) at `maxSteps`.
 */
export class LineWalker extends Agent {
  x = 0;
  private move = 0;
  constructor(name: string, private readonly goal: number, maxSteps: number, decisionPeriod: number) {
    super({ name, maxSteps, decisionPeriod });
  }
  override onEpisodeBegin(): void { this.x = 0; }
  override collectObservations(obs: ObservationWriter): void { obs.add(this.x); }
  override onActionReceived(a: ActionBuffers): void { this.move = a.discrete[0]! - 1; }
  override heuristic(out: ActionBuffers): void { out.discrete[0] = 2; }
  judge(): void {
    this.x += this.move;
    this.addReward(this.x);
    if (this.x >= this.goal) this.endEpisode();
  }
}

/** A steering agent with two continuous actions in [-1, 1]: tests continuous rows and clipping. */
export class Steerer extends Agent {
  last: number[] = [0, 0];
  override collectObservations(obs: ObservationWriter): void { obs.addArray(this.last); }
  override onActionReceived(a: ActionBuffers): void { this.last = [a.continuous[0]!, a.continuous[1]!]; }
}

/**
 * Per copy: two `walker`s (deciding every tick; goal 3, cut at 10 ticks) and one `steerer`
 * deciding every 3rd tick.
 */
export function lineGame(): HeadlessGame & { walkers: LineWalker[]; steerers: Steerer[] } {
  const walkers: LineWalker[] = [];
  const steerers: Steerer[] = [];
  return {
    name: 'line', copies: 2, walkers, steerers,
    behaviors: [
      { name: 'walker', observationSize: 1, actionSpec: ActionSpec.discrete(3), config: {} },
      { name: 'steerer', observationSize: 2, actionSpec: ActionSpec.continuous(2), config: {} },
    ],
    createCopy(index, _seed, ctx) {
      const mine = [new LineWalker(`w${index}a`, 3, 10, 1), new LineWalker(`w${index}b`, 3, 10, 1)];
      const s = new Steerer({ name: `s${index}`, decisionPeriod: 3 });
      for (const w of mine) ctx.addAgent('walker', w);
      ctx.addAgent('steerer', s);
      walkers.push(...mine);
      steerers.push(s);
      return { step: () => { for (const w of mine) w.judge(); } };
    },
  };
}
