/**
 * `train --demos DIR`: the demonstrations a run learns from, loaded and checked against the game
 * before anything trains, and, on `--resume`, the checkpoint's own (its `config.*.demo` path),
 * whose SHA-256 the trainer then checks.
 */
import type { Brain } from '../io/brain.js';
import { assertDemonstrationFits, demonstrationHash, DemonstrationError, summarizeDemonstration } from '../io/demonstration.js';
import { loadDemonstration } from '../io/demonstration.node.js';
import type { PretrainOptions, PretrainReport } from '../rl/behavioral-cloning.js';
import type { PPOConfig } from '../rl/config.js';
import type { GivenDemonstrations } from '../runtime/demo-ref.js';
import { CliError, DEFAULT_PRETRAIN_EPOCHS, type TrainArgs } from './args.js';
import type { Source } from './env-source.js';

export type RunDemonstrations = GivenDemonstrations & { source: string; pretrain: PretrainOptions | false };

/**
 * The run's demonstrations: `--demos`, else a resumed checkpoint's; undefined when it has none.
 * Throws a CliError for flags that cannot go together, a DemonstrationError (naming the file) for
 * demonstrations that cannot be read or do not fit the game's behavior.
 */
export async function runDemonstrations(args: TrainArgs, source: Source, resumed: readonly Brain[], config: Partial<PPOConfig>): Promise<RunDemonstrations | undefined> {
  const ref = resumed.flatMap((b) => [b.config.behavioralCloning?.demo, b.config.gail?.demo]).find((d) => d);
  const path = args.demos ?? ref?.source;
  if (path === undefined) {
    const asks = resumed.length === 0 ? learningFields(config, source) : [];
    if (asks.length > 0) {
      throw new CliError(`"${asks.join('" and "')}" learn${asks.length === 1 ? 's' : ''} from demonstrations: give --demos DIR (record some with: phaser-ppo record ${source.name})`, '--config');
    }
    return undefined;
  }
  if (source.kind !== 'game') {
    throw new CliError(`demonstrations are recorded from a game's behaviors (games/<name>/headless.ts, or --env a module exporting a game); "${source.name}" is an Env`, '--demos');
  }
  let data;
  try {
    data = loadDemonstration(path);
  } catch (err) {
    if (!(err instanceof DemonstrationError) || args.demos !== undefined) throw err;
    throw new DemonstrationError(`the checkpoint learned from the demonstrations ${path} (SHA-256 ${ref!.sha256.slice(0, 12)}…), which cannot be read: ${err.message}. `
      + 'Put them back there, or give --demos DIR with the same demonstrations');
  }
  const behaviors = source.game.behaviors;
  const behavior = behaviors.find((b) => b.name === data.behavior);
  if (!behavior) {
    throw new DemonstrationError(`${path}: demonstrations of "${data.behavior}", which is no behavior of the game "${source.name}" (its behaviors: ${behaviors.map((b) => `"${b.name}"`).join(', ')})`);
  }
  // The action space now; the observation size (sensors come on top of `observationSize`) once the copies are built.
  try {
    assertDemonstrationFits(data, { name: behavior.name, observationSize: data.observationSize, actionSpace: behavior.actionSpec.space });
  } catch (err) {
    if (err instanceof DemonstrationError) throw new DemonstrationError(`${path}: ${err.message}`);
    throw err;
  }
  const epochs = args.pretrainEpochs ?? DEFAULT_PRETRAIN_EPOCHS;
  return { data, source: path, sha256: await demonstrationHash(data), pretrain: epochs === 0 ? false : { epochs } };
}

/** The config fields (the run's, or a behavior's tuned one) that need demonstrations. */
function learningFields(config: Partial<PPOConfig>, source: Source): string[] {
  const configs = [config, ...(source.kind === 'game' ? source.game.behaviors.map((b) => b.config) : [])];
  return (['behavioralCloning', 'gail'] as const).filter((f) => configs.some((c) => c[f]));
}

/** `  demonstrations: demos/lander (10 episodes, 1,437 decisions, mean return 271.3)`, and what cloning them achieved. */
export function describeDemonstrations(d: RunDemonstrations, report: PretrainReport | null): string {
  const { episodes, meanReturn } = summarizeDemonstration(d.data);
  const fit = report?.heldOut ?? report?.train;
  const stats = fit ? [`NLL ${fit.nll.toFixed(3)}`, ...(Number.isFinite(fit.accuracy) ? [`accuracy ${(100 * fit.accuracy).toFixed(1)}%`] : []), ...(Number.isFinite(fit.meanAbsError) ? [`mean |error| ${fit.meanAbsError.toFixed(3)}`] : [])].join(', ') : '';
  return `  demonstrations: ${d.source} of "${d.data.behavior}" (${episodes} episodes, ${d.data.steps.toLocaleString('en-US')} decisions, mean return ${meanReturn.toFixed(1)}, SHA-256 ${d.sha256!.slice(0, 12)}…)\n`
    + (report ? `  cloned them first: ${report.epochs} epochs; ${report.heldOut ? `held-out ${report.heldOutRows} decisions` : `${report.trainRows} training decisions`}: ${stats}\n` : '');
}
