/** Fast mode for the platformer page: copies of its level, which load the files the page serves. */
import { exposeFastTrainer } from '../../sdk/runtime/fast-worker.js';
import { sceneGame } from '../../sdk/scene/scene-game.js';
import { PLATFORMER_PHYSICS } from '../../test-fixtures/foreign-platformer/src/physics.js';
import { ServedLevelScene } from './platformer-scene.js';

exposeFastTrainer(sceneGame({ scene: ServedLevelScene, copies: 2, width: 320, height: 240, physics: PLATFORMER_PHYSICS, data: (index, seed) => ({ seed: seed * 1000 + index * 8 }) }));
