import { describe, it, expect } from 'vitest';
import { resolveConfig } from '../rl/config.js';
import { ActionSpec, type ActionBuffers } from './action-spec.js';
import { Agent } from './agent.js';
import { GridSensor } from './grid-sensor.js';
import type { ObservationWriter } from './observation-writer.js';
import { BehaviorRunner } from './runner.js';
import { VectorSensor, type Sensor } from './sensor.js';

/** A 2×3×2 grid whose cells count up from `base` (so the statistics would move if updated). */
class Cells implements Sensor {
  readonly size = 12;
  constructor(readonly name: string, readonly shape: readonly [number, number, number] = [2, 3, 2], private readonly base = { v: 0 }) {}
  write(out: Float32Array, offset: number): void {
    for (let i = 0; i < this.size; i++) out[offset + i] = (this.base.v + i) % 2;
  }
  reset(): void {}
}

class Npc extends Agent {
  t = 0;
  constructor(sensors: Sensor[]) {
    super();
    for (const s of sensors) this.addSensor(s);
  }
  override collectObservations(obs: ObservationWriter): void { obs.add(this.t * 3); obs.add(-this.t); }
  override onActionReceived(_a: ActionBuffers): void { this.t++; }
  override heuristic(out: ActionBuffers): void { out.discrete[0] = this.t % 2; }
}

const spec = (sensors: Sensor[], config = resolveConfig({ hiddenSizes: [4], convLayers: [{ filters: 2, kernel: 2, stride: 1 }] })) => {
  const runner = new BehaviorRunner({ name: 'npc', observationSize: 2, actionSpec: ActionSpec.discrete(2), type: 'heuristic', config });
  runner.addAgent(new Npc(sensors));
  return runner.spec!;
};

describe('a behavior\'s observation inputs', () => {
  it('are collectObservations\' values, then each sensor, a grid where the sensor declares a shape; repeated names get #2', () => {
    const s = spec([new Cells('map'), new VectorSensor('goal', 2), new Cells('map')]);
    expect(s.observationInputs).toEqual([
      { name: 'observations', kind: 'vector', size: 2 },
      { name: 'map', kind: 'grid', shape: [2, 3, 2] },
      { name: 'goal', kind: 'vector', size: 2 },
      { name: 'map#2', kind: 'grid', shape: [2, 3, 2] },
    ]);
    expect(s.observationSize).toBe(2 + 12 + 2 + 12);
    expect(s.layout.actorConv.map((c) => c.xOffset)).toEqual([2, 16]);
    // 2×3 → 1×2×2 per grid: the MLP sees 2 + 4 + 2 + 4 values.
    expect(s.layout.mlpInputSize).toBe(12);
  });

  it('GridSensor declares [rows, cols, channels]', () => {
    const g = new GridSensor('near', { from: () => ({ x: 0, y: 0, angle: 0 }), bodies: () => [], rows: 3, cols: 4, cellSize: 10, tags: ['wall', 'coin'], count: true });
    expect(g.shape).toEqual([3, 4, 3]);
    expect(spec([g]).observationInputs[1]).toEqual({ name: 'near', kind: 'grid', shape: [3, 4, 3] });
  });

  it('refuses a sensor whose shape does not hold its values, naming the sensor', () => {
    expect(() => spec([new Cells('map', [2, 2, 2])])).toThrow(/behavior 'npc', agent '\w+': sensor 'map' has shape \[2, 2, 2\], which does not hold its 12 values/);
  });

  it('refuses conv layers that do not fit a sensor\'s grid when the first agent joins, naming convLayers', () => {
    expect(() => spec([new Cells('map')], resolveConfig({ convLayers: [{ filters: 2, kernel: 3 }] } as never))).toThrow("PPOConfig.convLayers: convLayers[0].kernel 3 is larger than the 2×3 grid of grid 'map' [2, 3, 2]");
  });

  it('with normalizeObs, grid dimensions stay out of the statistics (mean 0, var 1: grids pass through) while vectors are normalized', () => {
    const config = resolveConfig({ hiddenSizes: [4], convLayers: [{ filters: 2, kernel: 2, stride: 1 }], normalizeObs: true, numEnvs: 1, numSteps: 8, numMinibatches: 1 });
    const runner = new BehaviorRunner({ name: 'npc', observationSize: 2, actionSpec: ActionSpec.discrete(2), type: 'train', config, onRollout: () => {} });
    const base = { v: 0 };
    runner.addAgent(new Npc([new Cells('map', [2, 3, 2], base)]));
    runner.setParams(runner.spec!.layout.initialize(new (class { normal() { return 0.1; } uniform() { return 0.5; } })() as never, 0), 1);
    for (let t = 0; t < 20; t++) { base.v = t; runner.tick(); }
    const stats = runner.observationStats!;
    expect(stats.mean[0]).not.toBe(0);
    expect(stats.var[1]).not.toBe(1);
    for (let d = 2; d < 14; d++) {
      expect(stats.mean[d], `grid dimension ${d}`).toBe(0);
      expect(stats.var[d], `grid dimension ${d}`).toBe(1);
    }
  });
});
