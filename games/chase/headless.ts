/**
 * Chase without a view, for fast mode, tests and the CLI. Two games:
 *
 * - `chaseGame`: the pack alone against the scripted runner (what the gallery's fast mode and the
 *   pack's learning test train). Each copy is the game's own scene (ChaseScene) booted headless by
 *   sceneGame: one arena with its whole pack of `CHASE_PACK` chasers, seeded from the run's seed
 *   and the copy's index.
 * - `chaseRivalsGame` (the default export, what `train chase` trains): two behaviors, the pack
 *   (`chase`) and the runner (`runner`), each its own brain, both learning against each other; a
 *   runner behavior in heuristic mode is the scripted runner. Its copies are the same `ChasePack`
 *   the scene runs, with a runner agent added; the scene has no learning runner yet, so this one
 *   is built without it.
 */
import { sceneGame } from '../../sdk/scene/scene-game.js';
import type { GameBehavior, HeadlessGame } from '../../sdk/runtime/game.js';
import { CHASE_ACTIONS, CHASE_CONFIG, CHASE_OBSERVATIONS } from './agent.js';
import { CHASE_PACK, ChasePack } from './pack.js';
import { RUNNER_ACTIONS, RUNNER_OBSERVATIONS } from './runner.js';
import { ChaseScene, type ChaseSceneData } from './scene.js';

export { CHASE_PACK, ChasePack } from './pack.js';

export const chaseGame = sceneGame({
  scene: ChaseScene,
  // 4 arenas × 4 chasers = 16 agents, the rollout's columns.
  copies: 4,
  // Seeded as when each chaser was its own copy (copy k·CHASE_PACK held pack k's arena).
  data: (index, seed): ChaseSceneData => ({ behavior: {}, seed: seed * 1000 + index * CHASE_PACK, firstChaser: index * CHASE_PACK }),
  // The arena's matter-js world steps on the scene's onFixedStep; the scene has no Phaser Matter world.
  physics: {},
  // Mean chaser return: ≥ 0 means most rounds end in a catch within ~5 s; random chasers ≈ -9.4.
  solvedAt: 0,
  // The chasers' heuristic is a scripted pursuit: `record chase` records it.
  behaviors: { chase: { scriptedHeuristic: true } },
});

/** The chasers' behavior in the rivals game: one brain for every chaser of every pack. */
const chasers: GameBehavior & { solvedAt: number } = {
  name: 'chase',
  observationSize: CHASE_OBSERVATIONS,
  actionSpec: CHASE_ACTIONS,
  config: CHASE_CONFIG,
  solvedAt: 0,
  scriptedHeuristic: true,
};

/**
 * The runner's behavior: one runner per arena. Its transitions come 4× slower than the pack's
 * (1 runner, 4 chasers), so its schedule is a quarter as long: both anneal over the same ticks.
 * γ 0.99 (a ~10 s horizon): surviving is paid over the whole 15 s round.
 */
export const runnerBehavior: GameBehavior & { solvedAt: number } = {
  name: 'runner',
  observationSize: RUNNER_OBSERVATIONS,
  actionSpec: RUNNER_ACTIONS,
  config: { numEnvs: 4, numSteps: 128, learningRate: 1e-3, gamma: 0.99, gaeLambda: 0.95, normalizeObs: true, normalizeReward: true, totalSteps: 60_000 },
  // Mean runner return ≥ 0: it survives most of a round on average (caught at once ≈ -10, escaped ≈ +9).
  solvedAt: 0,
};

/**
 * Rivals: the pack and the runner, two behaviors with their own brains. Trained together (each
 * behavior its own learner) both sides learn against the other's current policy; evaluated with
 * one side's brain, the other side plays its brain (`others`) or its heuristic (the scripted
 * runner, the scripted pursuit).
 */
export const chaseRivalsGame: HeadlessGame & { solvedAt: number } = {
  name: 'chase',
  behaviors: [chasers, runnerBehavior],
  solvedAt: chasers.solvedAt,
  copies: 4,
  createCopy(index, seed, ctx) {
    // Seeded as chaseGame's copies (and as when each chaser was its own copy).
    const first = index * CHASE_PACK;
    const pack = new ChasePack(seed * 1000 + first);
    for (let i = 0; i < CHASE_PACK; i++) ctx.addAgent(chasers.name, pack.addChaser(`chaser-${first + i}`));
    ctx.addAgent(runnerBehavior.name, pack.addRunner(`runner-${index}`));
    return pack;
  },
};

export default chaseRivalsGame;
