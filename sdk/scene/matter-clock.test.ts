import { afterEach, describe, expect, it, vi } from 'vitest';
import Matter from 'matter-js';
import { directMatterClock } from './matter-clock.js';

describe('directMatterClock', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('chase\'s simulation makes Matter\'s clock skip `window` (the shim\'s Proxy in Node and workers)', async () => {
    await import('../../games/chase/sim.js');
    let reads = 0;
    vi.stubGlobal('window', { get performance() { reads++; return performance; } });
    const engine = Matter.Engine.create();
    Matter.Engine.update(engine, 1000 / 60);
    expect(Number.isFinite(Matter.Common.now())).toBe(true);
    expect(reads).toBe(0);
  });

  it('headless copies of a scene make Phaser\'s own Matter skip `window` too (a user\'s unchanged Matter scene)', async () => {
    await import('./scene-game.js'); // installs the shim Phaser needs in Node, then loads Phaser
    const { default: Phaser } = await import('phaser');
    const phaserMatter = (Phaser.Physics.Matter as unknown as { Matter: typeof Matter }).Matter;
    let reads = 0;
    vi.stubGlobal('window', { get performance() { reads++; return performance; } });
    expect(Number.isFinite(phaserMatter.Common.now())).toBe(true);
    expect(reads).toBe(0);
  });

  it('replaces the clock of the module it is given', () => {
    const common = { now: () => NaN };
    directMatterClock({ Common: common });
    expect(Number.isFinite(common.now())).toBe(true);
  });
});
