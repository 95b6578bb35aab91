/** Jumper as the gallery shows it (see games/gallery-game.ts): a curriculum of widening gaps. */
import type { GalleryGame, GameScene } from '../gallery-game.js';
import { JumperScene, LANES, type JumperSceneData } from './scene.js';
import { jumperGame } from './headless.js';
import { JUMPER_CURRICULUM, JUMPER_HARD_GAP } from './curriculum.js';
// `?url` makes vite copy the files into a build; a `new URL(..., import.meta.url)` of a JSON file would not.
import manifestUrl from './brain.json?url';
import weightsUrl from './weights.bin?url';

/** The curriculum's lesson names, in order. */
const LESSONS = (JUMPER_CURRICULUM.gapWidth as { curriculum: readonly { name?: string }[] }).curriculum.map((l, i) => l.name ?? `lesson ${i}`);

export const jumperGallery: GalleryGame = {
  key: 'jumper',
  title: 'Jumper',
  blurb: 'A curriculum: four balls run and must jump a gap to reach the flag (+1, the only reward). The hard 150 px gap is never crossed by chance, so training starts with no gap and widens it each time 80% of the rounds reach the flag.',
  shows: ['curriculum', 'environment parameters', 'sparse reward'],
  keys: '← → run · ↑ jump',
  scene: JumperScene,
  headless: jumperGame,
  sceneData: (req): JumperSceneData => ({
    // Training follows the curriculum; inference and the keyboard play the hard gap.
    behavior: req.kind === 'watch' || req.kind === 'heuristic' ? { ...req.behavior, environmentParameters: { gapWidth: JUMPER_HARD_GAP } } : req.behavior,
    speed: req.kind === 'live' ? 4 : 1,
    onReady: req.onReady,
  }),
  liveAgents: LANES,
  shipped: { manifestUrl, weightsUrl },
  fastWorker: () => new Worker(new URL('./fast.worker.ts', import.meta.url), { type: 'module', name: 'jumper-fast' }),
  fast: { copies: 16, maxSteps: 150_000 },
  returnDigits: 2,
  scores: { random: 0, solved: jumperGame.solvedAt },
  // The lesson in view (JumperScene.lessonInView, kept current by the scene).
  extraState: (scene) => ({ tally: (scene as JumperScene).lessonInView }),
  statusLine: (scene) => {
    const { training, lesson, gap } = (scene as JumperScene).lessonInView;
    const r = scene.behavior.returns.slice(-20);
    const reached = r.length ? `${r.filter((x) => x > 0).length} of the last ${r.length} rounds reached the flag` : 'no round finished yet';
    return `${training ? `lesson ${lesson + 1}/${LESSONS.length} "${LESSONS[lesson] ?? '?'}" · ` : ''}gap ${gap.toFixed(0)} px · ${reached}`;
  },
};
