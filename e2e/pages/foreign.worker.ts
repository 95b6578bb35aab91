/** Fast mode for the foreign-game page: copies of its scene, which load the files the page serves. */
import { exposeFastTrainer } from '../../sdk/runtime/fast-worker.js';
import { sceneGame } from '../../sdk/scene/scene-game.js';
import { ServedWalkerScene } from './foreign-scene.js';

exposeFastTrainer(sceneGame({ scene: ServedWalkerScene, copies: 2, width: 128, height: 64 }));
