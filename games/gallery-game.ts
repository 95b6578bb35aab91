/**
 * What a game hands the gallery page: its scene, the scene data for each way of driving its
 * behavior, its shipped brain, its fast-mode worker and how the panel shows its numbers. The page
 * (games/gallery.ts) owns everything else, once for every game.
 */
import type Phaser from 'phaser';
import type { Behavior, BehaviorOptions } from '../sdk/phaser/behavior.js';
import type { PPOPlugin } from '../sdk/phaser/plugin.js';
import type { Brain } from '../sdk/io/brain.js';
import type { OneBehaviorGame } from '../sdk/runtime/game.js';

export type GameKey = 'balance' | 'lander' | 'chase' | 'sumo' | 'jumper' | 'maze';

/** The scene the gallery drives: any game scene with one behavior through the PPO plugin. */
export interface GameScene extends Phaser.Scene {
  ppo: PPOPlugin;
  behavior: Behavior;
}

/**
 * A game whose behaviors learn against each other (chase: the pack and the runner), trained in
 * the gallery's Rivals mode: a worker trains every behavior; the scene in view plays each one's
 * newest weights, and the panel charts their ELO.
 */
export interface GalleryRivals {
  /** A new worker exposing the game of every behavior (`exposeFastTrainer(rivalsGame)`). */
  fastWorker(): Worker;
  /** Headless copies in the worker. */
  copies: number;
  /** The behaviors, the scene's own (`GameScene.behavior`) first. */
  behaviors: readonly string[];
  /** The scene's behavior named `name` (the scene was started with `SceneRequest.rivals`). */
  behaviorOf(scene: GameScene, name: string): Behavior | null;
  /** The shipped brains of the other behaviors (chase: the runner's), for Inference with {@link label} ticked. */
  shipped: Readonly<Record<string, { manifestUrl: string; weightsUrl: string }>>;
  /** The panel's switch that has Inference play {@link shipped} too (otherwise those sides play their heuristic, e.g. the scripted runner). */
  label: string;
}

/** How the page drives the behavior: the four behavior types the panel offers. */
export type RunKind = 'live' | 'fast' | 'watch' | 'heuristic' | 'rivals';

/** What the page asks of a game's scene data. */
export interface SceneRequest {
  kind: RunKind;
  behavior: Omit<BehaviorOptions, 'name' | 'observationSize' | 'actionSpec'>;
  /** The player takes part (chase: you are the runner) from the start. */
  player: boolean;
  /** Heuristic mode: the game's scripted heuristic plays instead of the keyboard (recording a script). */
  scripted?: boolean;
  /**
   * Every behavior of {@link GalleryRivals} is in the scene, in inference: with these brains
   * (Inference with the shipped rivals), or with none yet (Rivals mode: the page sets their weights).
   */
  rivals?: { brains: Readonly<Record<string, Brain>> };
  onReady: (scene: GameScene) => void;
}

export interface GalleryGame {
  key: GameKey;
  title: string;
  /** One paragraph: what the NPCs do and what earns reward. */
  blurb: string;
  /** SDK capabilities the game demonstrates (tags). */
  shows: readonly string[];
  /** What the keyboard does in heuristic mode. */
  keys: string;
  /** A label for the "play against the NPCs" switch, for games where the player joins in. */
  playerLabel?: string;
  /** The Phaser scene class (its key is {@link key}). */
  scene: new () => Phaser.Scene;
  /** The headless copies: the tuned config the hyperparameter form starts from. */
  headless: OneBehaviorGame;
  /** The scene data for one run. */
  sceneData(req: SceneRequest): object;
  /** Agents sharing the behavior in the live scene (the rollout's columns in live training). */
  liveAgents: number;
  /** The shipped brain's two files, as vite `?url` imports. */
  shipped: { manifestUrl: string; weightsUrl: string };
  /** A new fast-mode worker (the game's fast.worker.ts). */
  fastWorker(): Worker;
  /** Headless copies in fast mode, and its default step budget (the config's schedule). */
  fast: { copies: number; maxSteps: number };
  /** Rivals mode (a training mode of its own), for games with behaviors that learn against each other. */
  rivals?: GalleryRivals;
  /** Decimals of mean return in the panel. */
  returnDigits: number;
  /** What a random policy scores, and what counts as solved (the game's README). */
  scores: { random: number; solved: number };
  /** Game-specific state published with the page's (e.g. a tally of episode ends). */
  extraState(scene: GameScene): Record<string, unknown>;
  /** A one-line status of the visible scene, refreshed a few times a second. */
  statusLine(scene: GameScene): string;
}

/**
 * Whether the game's behavior has a scripted heuristic to record: a game made from its scene
 * (sceneGame) marks it on the behavior, a oneAgentGame on itself.
 */
export function hasScriptedHeuristic(gg: GalleryGame): boolean {
  return gg.headless.scriptedHeuristic === true || gg.headless.behaviors.some((b) => b.scriptedHeuristic === true);
}
