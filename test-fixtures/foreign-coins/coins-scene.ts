/**
 * A game written by someone new to phaser-ppo (sdk/cli/foreign-game.test.ts): collectors walk a
 * 7 × 7 grid and pick up coins. No physics: positions are grid cells, moved in
 * `onActionReceived`. The scene key (`CoinsScene`) differs from the behavior's name (`collector`),
 * as in most games: the brain records the behavior, the run directory the scene.
 */
import Phaser from 'phaser';
import { Agent } from '../../sdk/adapter/agent.js';
import { ActionSpec, type ActionBuffers } from '../../sdk/adapter/action-spec.js';
import type { ObservationWriter } from '../../sdk/adapter/observation-writer.js';
import { Rng } from '../../sdk/core/rng.js';
import type { PPOPlugin } from '../../sdk/phaser/plugin.js';

export const GRID = 7;
const CELL = 48;
/** Stay, up, down, left, right. */
const MOVES = [[0, 0], [0, -1], [0, 1], [-1, 0], [1, 0]] as const;
/** Decisions per episode: a random walk finds about one coin in them, a trained collector ten. */
export const EPISODE_DECISIONS = 60;

export class Collector extends Agent {
  x = 0;
  y = 0;
  coinX = 0;
  coinY = 0;

  constructor(private readonly rng: Rng) {
    super({ maxSteps: EPISODE_DECISIONS });
  }
  override onEpisodeBegin(): void {
    this.x = this.rng.int(GRID);
    this.y = this.rng.int(GRID);
    this.placeCoin();
  }
  override collectObservations(obs: ObservationWriter): void {
    obs.add((this.coinX - this.x) / GRID);
    obs.add((this.coinY - this.y) / GRID);
    obs.add(this.x / GRID);
    obs.add(this.y / GRID);
  }
  override onActionReceived(actions: ActionBuffers): void {
    const [dx, dy] = MOVES[actions.discrete[0] ?? 0]!;
    this.x = Math.max(0, Math.min(GRID - 1, this.x + dx));
    this.y = Math.max(0, Math.min(GRID - 1, this.y + dy));
    this.addReward(-0.01);
    if (this.x === this.coinX && this.y === this.coinY) {
      this.addReward(1);
      this.placeCoin();
    }
  }
  private placeCoin(): void {
    do {
      this.coinX = this.rng.int(GRID);
      this.coinY = this.rng.int(GRID);
    } while (this.coinX === this.x && this.coinY === this.y);
  }
}

export interface CoinsData {
  seed?: number;
}

export class CoinsScene extends Phaser.Scene {
  declare ppo: PPOPlugin;
  collectors: Collector[] = [];
  private gfx: Phaser.GameObjects.Graphics | null = null;

  constructor() {
    super('CoinsScene');
  }

  create(data: CoinsData = {}): void {
    this.collectors = [];
    const behavior = this.ppo.addBehavior({
      name: 'collector', observationSize: 4, actionSpec: ActionSpec.discrete(MOVES.length), type: 'train',
      config: { numSteps: 64, numMinibatches: 4, learningRate: 1e-3, hiddenSizes: [32, 32], seed: 1 },
    });
    for (let i = 0; i < 4; i++) {
      const collector = new Collector(new Rng((data.seed ?? 0) + i));
      this.collectors.push(collector);
      behavior.addAgent(collector);
    }
    // Headless copies (the CLI, fast mode) have no renderer: nothing to draw there.
    this.gfx = this.game.renderer ? this.add.graphics() : null;
    this.ppo.showOverlay('collector', { x: GRID * CELL + 8, y: 8 });
  }

  override update(): void {
    const g = this.gfx;
    if (!g) return;
    g.clear();
    for (const c of this.collectors) {
      g.fillStyle(0xffd700).fillCircle((c.coinX + 0.5) * CELL, (c.coinY + 0.5) * CELL, 8);
      g.fillStyle(0x58a6ff).fillRect(c.x * CELL + 8, c.y * CELL + 8, CELL - 16, CELL - 16);
    }
  }
}
