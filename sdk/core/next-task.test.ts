import { describe, expect, it } from 'vitest';
import { nextTask } from './next-task.js';

describe('nextTask', () => {
  it('runs after pending microtasks and lets an already queued task in first', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('queued task'));
    void Promise.resolve().then(() => order.push('microtask'));
    await nextTask();
    order.push('after');
    expect(order).toEqual(['microtask', 'queued task', 'after']);
  });

  it('does not wait for a timer: yields more than once before a 1 ms timer set first fires (a timer-based yield gets one)', async () => {
    // setTimeout(r, 0) is a 1 ms timer in Node and is clamped to 4 ms when nested in a browser:
    // a loop of them cannot overtake a 1 ms timer; tasks can. Counted, not timed.
    let fired = false;
    setTimeout(() => { fired = true; }, 1);
    let yields = 0;
    while (!fired && yields < 200) {
      await nextTask();
      yields++;
    }
    // Some machines run 200 tasks in under a millisecond, others not: either way the loop got
    // further than one yield before the timer (a timer-based yield gets at most 1).
    expect(yields).toBeGreaterThan(1);
  });

  it('yields through a MessageChannel where there is no setImmediate (a page or a worker)', async () => {
    const g = globalThis as { setImmediate?: unknown };
    const saved = g.setImmediate;
    g.setImmediate = undefined;
    try {
      const order: string[] = [];
      void Promise.resolve().then(() => order.push('microtask'));
      await nextTask();
      order.push('after');
      expect(order).toEqual(['microtask', 'after']);
    } finally {
      g.setImmediate = saved;
    }
  });
});
