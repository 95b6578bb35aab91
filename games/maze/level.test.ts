import { describe, it, expect } from 'vitest';
import { Rng } from '../../sdk/core/rng.js';
import { MAZE, TILE, MazeLevel } from './level.js';
import { mazeGame, mazeRaysGame } from './headless.js';
import { MAZE_GRID_CELLS, MAZE_RAYS, MazeAgent } from './agent.js';
import { AGENT_RUNTIME, type Agent } from '../../sdk/adapter/agent.js';

/** The agent of a headless copy of the scene (a room at the origin), after its first level. */
function copyAgent(game: typeof mazeGame, seed: number): MazeAgent {
  const agents: Agent[] = [];
  game.createCopy(0, seed, { addAgent: (_b, a) => agents.push(a), removeAgent: () => true, params: {} as never });
  const agent = agents[0] as MazeAgent;
  agent.onEpisodeBegin();
  return agent;
}

describe('maze levels', () => {
  it('every drawn level is walled in, and its exit is reachable from the start in at least minDistance moves', () => {
    const rng = new Rng(5);
    const level = new MazeLevel();
    for (let i = 0; i < 200; i++) {
      level.generate(rng);
      for (let k = 0; k < MAZE.size; k++) {
        expect([level.tileAt(k, 0), level.tileAt(k, MAZE.size - 1), level.tileAt(0, k), level.tileAt(MAZE.size - 1, k)]).toEqual([TILE.wall, TILE.wall, TILE.wall, TILE.wall]);
      }
      expect(level.tileAt(level.exitX, level.exitY)).toBe(TILE.exit);
      expect(level.open(level.startX, level.startY)).toBe(true);
      expect(level.distance[level.startY * MAZE.size + level.startX]).toBeGreaterThanOrEqual(MAZE.minDistance);
    }
  });

  it('the same seed draws the same levels', () => {
    const a = new MazeLevel();
    const b = new MazeLevel();
    a.generate(new Rng(9));
    b.generate(new Rng(9));
    expect(Array.from(a.tiles)).toEqual(Array.from(b.tiles));
    expect([a.startX, a.startY]).toEqual([b.startX, b.startY]);
  });
});

describe('the maze scene, booted headless', () => {
  it('the grid NPC reads the level from the scene\'s Phaser tilemap, centred on itself', () => {
    const agent = copyAgent(mazeGame, 3);
    const sensor = agent.sensor;
    expect(sensor.size).toBe(MAZE_GRID_CELLS * MAZE_GRID_CELLS * 2);
    const out = new Float32Array(sensor.size);
    sensor.write(out, 0);
    const half = (MAZE_GRID_CELLS - 1) / 2;
    // Cell (r, c) is tile (x + c - half, y + r - half); off the room reads empty.
    for (let r = 0; r < MAZE_GRID_CELLS; r++) {
      for (let c = 0; c < MAZE_GRID_CELLS; c++) {
        const tile = agent.level.tileAt(agent.x + c - half, agent.y + r - half);
        const inRoom = Math.abs(agent.x + c - half - 4) <= 4 && Math.abs(agent.y + r - half - 4) <= 4;
        const base = (r * MAZE_GRID_CELLS + c) * 2;
        expect([out[base], out[base + 1]]).toEqual([inRoom && tile === TILE.wall ? 1 : 0, inRoom && tile === TILE.exit ? 1 : 0]);
      }
    }
    // A new episode is a new level, in the tilemap too.
    const before = Array.from(out);
    agent.onEpisodeBegin();
    sensor.write(out, 0);
    expect(Array.from(out)).not.toEqual(before);
  });

  it('the rays NPC sees the walls and the exit as boxes: 8 rays of [hit, wall, exit, distance]', () => {
    const agent = copyAgent(mazeRaysGame, 3);
    expect(agent.sensor.size).toBe(MAZE_RAYS * 4);
    const out = new Float32Array(agent.sensor.size);
    agent.sensor.write(out, 0);
    // Ray 0 points right (+x): it hits the first wall or the exit along the NPC's row.
    let x = agent.x + 1;
    while (agent.level.tileAt(x, agent.y) === TILE.floor) x++;
    const hitExit = agent.level.tileAt(x, agent.y) === TILE.exit;
    expect(out[0]).toBe(1);
    expect([out[1], out[2]]).toEqual(hitExit ? [0, 1] : [1, 0]);
    expect(out[3]! * MAZE.size * MAZE.tile * Math.SQRT2).toBeCloseTo((x - agent.x - 0.5) * MAZE.tile, 3);
  });

  it('walls stop a move and it still costs 0.01; the exit ends the episode with +1', () => {
    const agent = copyAgent(mazeGame, 4);
    const level = agent.level;
    // A hand-built room: floor inside the border, a wall left of the NPC, the exit right of it.
    for (let y = 1; y < MAZE.size - 1; y++) for (let x = 1; x < MAZE.size - 1; x++) level.tiles[y * MAZE.size + x] = TILE.floor;
    level.tiles[4 * MAZE.size + 3] = TILE.wall;
    level.tiles[4 * MAZE.size + 5] = TILE.exit;
    level.exitX = 5;
    level.exitY = 4;
    agent.x = 4;
    agent.y = 4;
    const act = (move: number) => {
      agent.onActionReceived({ discrete: Int32Array.of(move), continuous: new Float32Array(0) } as never);
      agent.judge();
    };
    const runtime = agent[AGENT_RUNTIME];
    runtime.pendingReward = 0;
    act(3);
    expect([agent.x, agent.y, runtime.pendingReward, runtime.endRequested]).toEqual([4, 4, -0.01, false]);
    act(2);
    expect([agent.x, agent.y]).toEqual([4, 5]);
    act(0);
    act(1);
    expect([agent.x, agent.y, runtime.endRequested]).toEqual([5, 4, true]);
    expect(runtime.pendingReward).toBeCloseTo(-0.04 + 1, 6);
  });
});
