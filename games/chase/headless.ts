/**
 * Chase without a view, for fast mode, tests and the CLI. Two games, each copy the game's own
 * scene (ChaseScene) booted headless by sceneGame: one arena with its whole pack of `CHASE_PACK`
 * chasers, seeded from the run's seed and the copy's index.
 *
 * - `chaseGame`: the pack alone against the scripted runner (what the gallery's fast mode and the
 *   pack's learning test train).
 * - `chaseRivalsGame` (the default export, what `train chase` trains): the scene with its `runner`
 *   option, two behaviors, the pack (`chase`) and the runner (`runner`), each its own brain, both
 *   learning against each other; a runner behavior in heuristic mode is the scripted runner.
 */
import { sceneGame } from '../../sdk/scene/scene-game.js';
import { CHASE_PACK } from './pack.js';
import { ChaseScene, type ChaseSceneData } from './scene.js';

export { CHASE_PACK, ChasePack } from './pack.js';

/** Copy `index`'s arena: seeded as when each chaser was its own copy (copy k·CHASE_PACK held pack k's arena). */
function chaseData(index: number, seed: number): ChaseSceneData {
  return { behavior: {}, seed: seed * 1000 + index * CHASE_PACK, firstChaser: index * CHASE_PACK };
}

export const chaseGame = sceneGame({
  scene: ChaseScene,
  // 4 arenas × 4 chasers = 16 agents, the rollout's columns.
  copies: 4,
  data: (index, seed): ChaseSceneData => chaseData(index, seed),
  // The arena's matter-js world steps on the scene's onFixedStep; the scene has no Phaser Matter world.
  physics: {},
  // Mean chaser return: ≥ 0 means most rounds end in a catch within ~5 s; random chasers ≈ -9.4.
  solvedAt: 0,
  // The chasers' heuristic is a scripted pursuit: `record chase` records it.
  behaviors: { chase: { scriptedHeuristic: true } },
});

/**
 * Rivals: the pack (`chase`) and the runner (`runner`), two behaviors with their own brains, in
 * the same scene with its `runner` option (one runner agent per arena). Trained together (each
 * behavior its own learner) both sides learn against the other's current policy; evaluated with
 * one side's brain, the other side plays its brain (`others`) or its heuristic (the scripted
 * runner, the scripted pursuit). The runner's config is the scene's (RUNNER_CONFIG).
 */
export const chaseRivalsGame = sceneGame({
  scene: ChaseScene,
  copies: 4,
  // chaseGame's arenas (same seeds, same chaser names), each with its runner agent.
  data: (index, seed): ChaseSceneData => ({ ...chaseData(index, seed), runner: {}, runnerName: `runner-${index}` }),
  physics: {},
  // The pack's: a mean chaser return ≥ 0. The runner's: ≥ 0 means it survives most of a round on
  // average (caught at once ≈ -10, escaped ≈ +9).
  solvedAt: 0,
  behaviors: { chase: { scriptedHeuristic: true } },
});

export default chaseRivalsGame;
