/**
 * Fast mode's worker: the headless copies of the scene (src/headless.ts) train here, off the page's
 * thread, as fast as the CPU allows; the page plays their weights in the scene (see reach-scene.ts).
 */
import { exposeFastTrainer } from 'phaser-ppo/fast-worker';
import reachGame from './headless.js';

exposeFastTrainer(reachGame);
