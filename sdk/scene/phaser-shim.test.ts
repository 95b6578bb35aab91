import { afterEach, describe, expect, it, vi } from 'vitest';

describe('the phaser shim\'s window (Node and workers)', () => {
  const g = globalThis as Record<string, unknown>;
  const saved = { window: Object.getOwnPropertyDescriptor(g, 'window'), performance: Object.getOwnPropertyDescriptor(g, 'performance') };
  afterEach(() => {
    for (const [key, d] of Object.entries(saved)) {
      if (d) Object.defineProperty(g, key, d);
      else delete g[key];
    }
  });

  it('serves `performance` without the global scope\'s getter (matter-js reads it three times a step), hides `document` and keeps the rest live', async () => {
    const real = performance;
    let reads = 0;
    delete g['window'];
    Object.defineProperty(g, 'performance', { configurable: true, get: () => { reads++; return real; } });
    vi.resetModules();
    await import('./phaser-shim.js');
    const win = g['window'] as Record<string, unknown>;
    const installed = reads;
    for (let i = 0; i < 3; i++) expect(win['performance']).toBe(real);
    expect(reads).toBe(installed);
    expect(win['document']).toBeUndefined();
    expect('document' in win).toBe(false);
    g['shimTestValue'] = 7;
    expect(win['shimTestValue']).toBe(7);
    delete g['shimTestValue'];
  });
});
