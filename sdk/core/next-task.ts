/**
 * Yielding to the event loop between long synchronous steps (a fast-mode update, a stretch of
 * evaluation), so that messages (a `stop`, a Comlink call) get in. Not `setTimeout(r, 0)`: a
 * browser clamps a timer nested 5 deep to 4 ms (HTML's timer nesting rule), and Node rounds 0 to
 * 1 ms, so a loop that yields once per 30–40 ms update idled about 10% of a page's fast-mode worker
 * (a Chromium CPU profile of balance: `(idle)` 10% of the worker thread). `setImmediate` (Node) and
 * a MessageChannel message (browsers, workers) are tasks without that delay.
 */

/** Resolves in a new task of the event loop, without a timer's minimum delay. */
export function nextTask(): Promise<void> {
  const g = globalThis as { setImmediate?: (f: () => void) => unknown };
  if (typeof g.setImmediate === 'function') return new Promise((resolve) => { g.setImmediate!(resolve); });
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}
