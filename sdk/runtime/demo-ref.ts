/**
 * Which demonstrations a run learns from, kept in its config (`behavioralCloning.demo`,
 * `gail.demo`: path or key, and SHA-256) so a checkpoint refers to them without copying them, and
 * the check on resume that they are still the same ones.
 */
import { DemonstrationError } from '../io/demonstration.js';
import type { DemonstrationData } from '../io/demonstration-data.js';
import type { DemonstrationRef, PPOConfig, ResolvedConfig } from '../rl/config.js';

/** Demonstrations handed to a trainer, with where they came from and their hash when known. */
export interface GivenDemonstrations {
  data: DemonstrationData;
  /** Where they were loaded from: a path (Node), an `indexeddb://` key or a URL (page); recorded in checkpoints. */
  source?: string;
  /**
   * `await demonstrationHash(data)`. With it, a checkpoint records `{ source, sha256 }` and a
   * resume checks the demonstrations given are the same; without it nothing is recorded.
   */
  sha256?: string;
}

/** The demonstration settings of a config that learn during PPO, by field name. */
function terms(config: ResolvedConfig): { field: 'behavioralCloning' | 'gail'; demo: DemonstrationRef | null | undefined }[] {
  const out: { field: 'behavioralCloning' | 'gail'; demo: DemonstrationRef | null | undefined }[] = [];
  if (config.behavioralCloning) out.push({ field: 'behavioralCloning', demo: config.behavioralCloning.demo });
  if (config.gail) out.push({ field: 'gail', demo: config.gail.demo });
  return out;
}

/**
 * For behavior `behavior` (its resolved `config`, changed in place): checks a resumed config's
 * demonstration references against `given` (the demonstrations of this behavior, if any), then
 * records `given`'s reference where it has a hash. Throws {@link DemonstrationError} naming the
 * file and what to do when the checkpoint's demonstrations are missing or changed.
 */
export function useDemonstrationRef(config: ResolvedConfig, behavior: string, given: GivenDemonstrations | undefined, resumed: boolean): void {
  for (const { field, demo } of resumed ? terms(config) : []) {
    if (!demo) continue;
    if (!given) {
      throw new DemonstrationError(`the checkpoint of "${behavior}" learned from the demonstrations ${demo.source} (config.${field}.demo), which were not given: `
        + `pass them again (${/^[a-z][a-z0-9+.-]*:/i.test(demo.source) ? '' : `train --demos ${demo.source}, or `}FastTrainerOptions.demonstrations), or set config.${field} to null to go on without them`);
    }
    if (given.sha256 === undefined) {
      throw new DemonstrationError(`the checkpoint of "${behavior}" learned from the demonstrations ${demo.source} (SHA-256 ${demo.sha256.slice(0, 12)}…): `
        + `give demonstrations.sha256 (await demonstrationHash(data)) so they can be checked to be the same`);
    }
    if (given.sha256 !== demo.sha256) {
      const where = given.source ?? 'the demonstrations given';
      throw new DemonstrationError(`${where}: SHA-256 ${given.sha256.slice(0, 12)}…, but the checkpoint of "${behavior}" learned from ${demo.source} with SHA-256 ${demo.sha256.slice(0, 12)}… `
        + `(config.${field}.demo): the demonstrations changed since. Put the original ones back to resume, or start a new run from these`);
    }
  }
  if (given?.sha256 === undefined) return;
  const ref: DemonstrationRef = { source: given.source ?? `memory:${given.data.behavior}`, sha256: given.sha256 };
  if (config.behavioralCloning) config.behavioralCloning.demo = { ...ref };
  if (config.gail) config.gail.demo = { ...ref };
}

/**
 * A resumed run's config fields with the checkpoint's demonstration references kept: overrides of
 * `behavioralCloning` / `gail` that do not mention `demo` (a restarted worker's options, the page's
 * form) keep the checkpoint's, so the check on resume is not lost; `demo: null` drops it.
 */
export function keepDemonstrationRefs(checkpoint: ResolvedConfig, fields: Partial<PPOConfig>): Partial<PPOConfig> {
  const out = { ...fields };
  for (const field of ['behavioralCloning', 'gail'] as const) {
    const override = fields[field];
    const kept = checkpoint[field]?.demo;
    if (override && typeof override === 'object' && !('demo' in override) && kept) out[field] = { ...override, demo: kept } as never;
  }
  return out;
}
