/**
 * What an agent can do, in game terms (continuous dimensions and discrete branches), and the
 * buffers that carry one action to the game. Maps onto the learner's action {@link Space}.
 */
import { EnvError } from '../core/errors.js';
import { Box, Discrete, Hybrid, MultiDiscrete, spaceToString, type BoxSpace, type Space } from '../core/spaces.js';

/**
 * An agent's action layout: `continuousSize` reals with bounds, then one integer choice per
 * discrete branch. The learner's action row is the same, `[continuous..., discrete...]`.
 *
 * @example ActionSpec.discrete(3, 2)     // move left/none/right, and jump or not
 * @example ActionSpec.continuous(2)      // steer and throttle in [-1, 1]
 * @example ActionSpec.hybrid(2, 2)       // steer and throttle, and fire or not
 */
export class ActionSpec {
  /** Number of continuous dimensions. */
  readonly continuousSize: number;
  /** Choices per discrete branch. */
  readonly branches: readonly number[];
  /** Lower bounds of the continuous dimensions (actions reach the game clipped to them). */
  readonly low: readonly number[];
  /** Upper bounds of the continuous dimensions. */
  readonly high: readonly number[];
  /** The learner's view: Discrete (one branch), MultiDiscrete, Box or Hybrid. */
  readonly space: Space;
  /** Width of one action row: continuous dimensions plus branches. */
  readonly size: number;
  /** Width of one action-mask row: the sum of the branch sizes. */
  readonly maskSize: number;

  private constructor(space: Space) {
    this.space = space;
    const box: BoxSpace | null = space.kind === 'box' ? space : space.kind === 'hybrid' ? space.continuous : null;
    this.continuousSize = box ? box.size : 0;
    this.low = box ? box.low : [];
    this.high = box ? box.high : [];
    this.branches = space.kind === 'discrete' ? [space.n] : space.kind === 'multiDiscrete' ? space.nvec : space.kind === 'hybrid' ? space.discrete.nvec : [];
    // Fields, not getters: the runner reads them at every decision.
    this.size = this.continuousSize + this.branches.length;
    this.maskSize = this.branches.reduce((s, n) => s + n, 0);
  }

  /**
   * Discrete branches, `branches[i]` choices each. One branch maps to `Discrete(n)`, more to
   * `MultiDiscrete`.
   * @example ActionSpec.discrete(4) // up, down, left, right
   */
  static discrete(...branches: number[]): ActionSpec {
    if (branches.length === 0) throw new EnvError('ActionSpec.discrete(...branches): give at least one branch size, e.g. ActionSpec.discrete(3)');
    return new ActionSpec(branches.length === 1 ? Discrete(branches[0]!) : MultiDiscrete(branches));
  }

  /**
   * `n` continuous dimensions bounded by `low` and `high` (scalars or one per dimension).
   * @example ActionSpec.continuous(2, -1, 1)
   */
  static continuous(n: number, low: number | readonly number[] = -1, high: number | readonly number[] = 1): ActionSpec {
    return new ActionSpec(Box(low, high, n));
  }

  /**
   * `continuous` dimensions in [-1, 1] and discrete branches in one action. For other bounds use
   * {@link ActionSpec.fromSpace} with a `Hybrid` space.
   * @example ActionSpec.hybrid(2, 3) // aim (x, y) and one of 3 weapons
   */
  static hybrid(continuous: number, ...branches: number[]): ActionSpec {
    if (branches.length === 0) throw new EnvError('ActionSpec.hybrid(continuous, ...branches): give at least one branch; for none use ActionSpec.continuous');
    return new ActionSpec(Hybrid(Box(-1, 1, continuous), MultiDiscrete(branches)));
  }

  /** The spec of a learner action space (e.g. a loaded brain's). @example ActionSpec.fromSpace(brain.actionSpace) */
  static fromSpace(space: Space): ActionSpec {
    return new ActionSpec(space);
  }

  toString(): string {
    return spaceToString(this.space);
  }
}

/**
 * One action as the game sees it. `continuous` is already clipped to the spec's bounds;
 * `discrete[b]` is the choice of branch `b`.
 */
export class ActionBuffers {
  readonly continuous: Float32Array;
  readonly discrete: Int32Array;

  constructor(spec: ActionSpec) {
    this.continuous = new Float32Array(spec.continuousSize);
    this.discrete = new Int32Array(spec.branches.length);
  }

  /** Sets every entry to 0. */
  clear(): void {
    this.continuous.fill(0);
    this.discrete.fill(0);
  }
}

/**
 * The choices an agent may take at this decision, handed to `Agent.writeActionMask`. Everything
 * starts enabled; a branch must keep at least one choice enabled.
 */
export interface ActionMask {
  /**
   * Allows or forbids choice `index` of discrete branch `branch` for this decision.
   * @example mask.setActionEnabled(0, 2, false) // branch 0 cannot pick choice 2 now
   */
  setActionEnabled(branch: number, index: number, enabled: boolean): void;
  /**
   * Whether choice `index` of `branch` is currently allowed.
   * @example if (mask.isActionEnabled(0, 1)) mask.setActionEnabled(0, 2, false);
   */
  isActionEnabled(branch: number, index: number): boolean;
}

/** The runner's {@link ActionMask}: writes into one row of the batch's mask array. */
export class ActionMaskWriter implements ActionMask {
  private row: Uint8Array;
  private offset = 0;
  /** `behavior 'b', agent 'a'`, for messages. */
  private who = '';
  private readonly starts: number[];

  constructor(readonly spec: ActionSpec) {
    this.row = new Uint8Array(spec.maskSize);
    let start = 0;
    this.starts = spec.branches.map((n) => { const s = start; start += n; return s; });
  }

  setActionEnabled(branch: number, index: number, enabled: boolean): void {
    this.checkIndex('setActionEnabled', branch, index);
    this.row[this.offset + this.starts[branch]! + index] = enabled ? 1 : 0;
  }

  isActionEnabled(branch: number, index: number): boolean {
    this.checkIndex('isActionEnabled', branch, index);
    return this.row[this.offset + this.starts[branch]! + index] === 1;
  }

  /** Points the mask at `row[offset..]`, all enabled, for one agent's decision. */
  reset(row: Uint8Array, offset: number, who: string): void {
    this.row = row;
    this.offset = offset;
    this.who = who;
    row.fill(1, offset, offset + this.spec.maskSize);
  }

  /** Throws if a branch has nothing enabled: the policy would have nothing to choose from. */
  check(): void {
    // Plain loops: this runs for every masking agent at every decision, so no callback per call.
    const { branches } = this.spec;
    for (let b = 0; b < branches.length; b++) {
      const start = this.offset + this.starts[b]!;
      const n = branches[b]!;
      let enabled = false;
      for (let j = 0; j < n && !enabled; j++) enabled = this.row[start + j] !== 0;
      if (!enabled) throw new EnvError(`${this.who}: writeActionMask disabled every choice of branch ${b}; at least one must stay enabled`);
    }
  }

  private checkIndex(method: string, branch: number, index: number): void {
    const n = Number.isInteger(branch) ? this.spec.branches[branch] : undefined;
    if (n === undefined) {
      throw new EnvError(`${this.who}: ${method}(${branch}, ${index}): branch must be an integer in [0, ${this.spec.branches.length}) for ${this.spec}`);
    }
    if (!Number.isInteger(index) || index < 0 || index >= n) {
      throw new EnvError(`${this.who}: ${method}(${branch}, ${index}): index must be an integer in [0, ${n}) for branch ${branch}`);
    }
  }
}
