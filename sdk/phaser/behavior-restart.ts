/**
 * A scene restart in the page (`this.scene.restart()` on game over): the behaviors of the run that
 * shut down wait here for the next run. A behavior the new run declares again with the same name
 * and a compatible declaration is handed back as it is (learner worker, weights, version,
 * statistics, episode counts, rollout in progress); one declared differently, or not at all, is
 * disposed. Headless copies keep their episodes and rollouts across a restart the same way
 * (sdk/scene/scene-game.ts): the new run's agents take the old ones' rows.
 */
import { configFields, type ResolvedConfig } from '../rl/config.js';
import type { Behavior, BehaviorOptions } from './behavior.js';

/** What two declarations of a behavior are compared on: what shapes its network, its training and its acting. */
export interface DeclaredBehavior {
  options: BehaviorOptions;
  config: ResolvedConfig;
}

/**
 * How `next` differs from `kept` in what a restart cannot carry over, one phrase per difference
 * (`type: train → inference`, `config.learningRate: 0.001 → 0.0003`); empty when compatible.
 * The brain is compared by identity: a scene that reads the same loaded brain each run declares
 * the same behavior, one that loads another asks for a new start.
 */
export function declarationDifferences(kept: DeclaredBehavior, next: DeclaredBehavior): string[] {
  const a = kept.options;
  const b = next.options;
  const out: string[] = [];
  const same = (field: string, x: unknown, y: unknown) => {
    const sx = show(x);
    const sy = show(y);
    if (sx !== sy) out.push(`${field}: ${sx} → ${sy}`);
  };
  same('type', typeOf(a), typeOf(b));
  same('observationSize', a.observationSize, b.observationSize);
  same('actionSpec', a.actionSpec.toString(), b.actionSpec.toString());
  same('backend', a.backend ?? 'auto', b.backend ?? 'auto');
  same('inferenceAction', a.inferenceAction ?? 'mode', b.inferenceAction ?? 'mode');
  same('environmentParameters', a.environmentParameters ?? {}, b.environmentParameters ?? {});
  if (a.brain !== b.brain) out.push(`brain: ${a.brain ? 'a brain' : 'none'} → ${b.brain ? 'another brain' : 'none'}`);
  const ca = configFields(kept.config) as unknown as Record<string, unknown>;
  const cb = configFields(next.config) as unknown as Record<string, unknown>;
  for (const key of new Set([...Object.keys(ca), ...Object.keys(cb)])) same(`config.${key}`, ca[key], cb[key]);
  return out;
}

function typeOf(o: BehaviorOptions): string {
  return o.untrained ? 'untrained' : o.type ?? 'train';
}

function show(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || v === undefined || v === null) return String(v);
  return JSON.stringify(v);
}

/**
 * The behaviors of a run that shut down, by name, until the next run claims them (its
 * `addBehavior`) or they are released (after its `create`, or when the scene does not start again).
 */
export class ParkedBehaviors {
  private readonly parked = new Map<string, Behavior>();

  /**
   * Keeps each behavior that can go on in the next run (its agents wait there for their
   * successors); disposes the others (one that failed or stopped training starts afresh).
   */
  park(behaviors: readonly Behavior[]): void {
    for (const b of behaviors) {
      this.parked.get(b.name)?.dispose();
      if (b.canCarryOver) {
        b.awaitSuccessors();
        this.parked.set(b.name, b);
      } else {
        b.dispose();
      }
    }
  }

  /**
   * The parked behavior named `next.options.name`, when `next` declares it compatibly; null
   * otherwise. A behavior declared differently is disposed, and `differs` is told what differs.
   */
  claim(next: DeclaredBehavior, differs: (name: string, differences: string[]) => void): Behavior | null {
    const name = next.options.name;
    const b = this.parked.get(name);
    if (!b) return null;
    this.parked.delete(name);
    const differences = declarationDifferences(b.declaration, next);
    if (differences.length === 0) return b;
    b.dispose();
    differs(name, differences);
    return null;
  }

  /** Disposes every behavior still parked (the new run did not declare them, or the scene ended). */
  releaseAll(): void {
    for (const b of this.parked.values()) b.dispose();
    this.parked.clear();
  }

  get size(): number {
    return this.parked.size;
  }
}
