/**
 * A gate in front of `Comlink.expose` in a worker: only calls of the exposed API's own methods
 * pass (`{ id, type: 'APPLY', path: [method], argumentList: [...] }`). Anything else never
 * reaches comlink: a property walk such as `['constructor', 'constructor']`, a non-array argument
 * list that would throw inside comlink's listener and kill the worker, or a `RELEASE`, which
 * would unhook comlink and leave the worker deaf (the page releases a learner by terminating
 * it). A rejected message that carries an id is answered with an error, so no caller hangs;
 * a `RELEASE` is dropped unanswered, as its sender is about to terminate the worker anyway.
 */

/** What a worker global or a MessagePort offers. */
export interface MessageEndpoint {
  addEventListener(type: 'message', listener: (ev: MessageEvent) => void): void;
  postMessage(message: unknown): void;
}

/** comlink's wire form of a value: a raw value, or a handler-encoded one (thrown errors, proxies). */
function wireValueOk(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const w = v as { type?: unknown; name?: unknown };
  // Only raw values: the learner API takes plain data, never proxies or custom handlers.
  return w.type === 'RAW';
}

/** Why `data` is not an allowed call, or null when it is. */
export function rejectReason(data: unknown, methods: ReadonlySet<string>): string | null {
  if (typeof data !== 'object' || data === null) return 'not an object';
  const m = data as { id?: unknown; type?: unknown; path?: unknown; argumentList?: unknown };
  if (m.type !== 'APPLY') return `message type ${JSON.stringify(m.type) ?? typeof m.type} is not allowed (only calls)`;
  if (!Array.isArray(m.path) || m.path.length !== 1 || typeof m.path[0] !== 'string' || !methods.has(m.path[0])) {
    return `no such method: ${Array.isArray(m.path) ? m.path.map(String).join('.') : typeof m.path}; the learner offers ${[...methods].join(', ')}`;
  }
  if (m.argumentList !== undefined && (!Array.isArray(m.argumentList) || !m.argumentList.every(wireValueOk))) return 'argumentList must be an array of plain values';
  return null;
}

/**
 * Installs the gate on `ep` (call before `Comlink.expose(api, ep)`, so this listener runs first).
 * `methods`: the API's method names.
 */
export function guardEndpoint(ep: MessageEndpoint, methods: readonly string[]): void {
  const allowed = new Set(methods);
  ep.addEventListener('message', (ev: MessageEvent) => {
    const reason = rejectReason(ev.data, allowed);
    if (reason === null) return;
    ev.stopImmediatePropagation();
    const { id, type } = (ev.data ?? {}) as { id?: unknown; type?: unknown };
    if (typeof id === 'string' && id.length > 0 && type !== 'RELEASE') {
      // comlink's reply for a thrown error, so the caller's promise rejects instead of hanging.
      ep.postMessage({ id, type: 'HANDLER', name: 'throw', value: { isError: true, value: { name: 'PhaserPpoError', message: `learner worker: rejected a message: ${reason}` } } });
    }
  });
}
