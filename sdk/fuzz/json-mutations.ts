/**
 * Mutations of valid files for the loader fuzzers (brains, demonstrations): edits of parsed JSON
 * (set, delete, inject `__proto__`-like keys, grow arrays) and of binary data (truncate, extend,
 * overwrite bytes). Test-only.
 */
import fc from 'fast-check';

/** Every path (object keys and array indices) in a JSON value. */
export function paths(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

export type Mutation =
  | { kind: 'set'; pick: number; value: unknown }
  | { kind: 'delete'; pick: number }
  | { kind: 'inject'; pick: number; key: string; value: unknown }
  | { kind: 'grow'; pick: number; length: number };

/**
 * A copy of a generated value: fast-check hands the same constant object to many runs, and a later
 * mutation editing it in place would change (even make cyclic) what other runs get.
 */
function fresh(v: unknown): unknown {
  return v !== null && typeof v === 'object' ? structuredClone(v) : v;
}

/** Applies a mutation to parsed JSON (JSON.parse makes `__proto__` an own key, as a hostile file would). */
export function mutate(json: unknown, m: Mutation): unknown {
  const all = paths(json);
  const path = all[m.pick % all.length]!;
  if (path.length === 0) return m.kind === 'set' ? fresh(m.value) : json;
  const parent = path.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], json) as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  switch (m.kind) {
    case 'set': parent[last] = fresh(m.value); break;
    case 'delete': if (Array.isArray(parent)) parent.splice(last as number, 1); else delete parent[last]; break;
    case 'inject': {
      const target = parent[last];
      if (target && typeof target === 'object') {
        const text = JSON.stringify(target).replace(/^([[{])/, `$1${JSON.stringify(m.key)}:${JSON.stringify(m.value) ?? 'null'},`);
        try { parent[last] = JSON.parse(Array.isArray(target) ? JSON.stringify(target) : text); } catch { /* arrays take no keys */ }
      }
      break;
    }
    case 'grow': {
      const target = parent[last];
      if (Array.isArray(target)) parent[last] = Array.from({ length: m.length }, (_, i) => target[i % Math.max(1, target.length)] ?? 0);
      break;
    }
  }
  return json;
}

export const jsonish = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(null, true, -1, 0, 1.5, 1e308, -1e308, 4097, 2 ** 31, '', 'NaN', [], {}),
  fc.constant({ polluted: true }),
);
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), pick: fc.nat(), value: jsonish }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('inject' as const), pick: fc.nat(), key: fc.constantFrom('__proto__', 'constructor', 'prototype', 'polluted', 'extra'), value: jsonish }),
  fc.record({ kind: fc.constant('grow' as const), pick: fc.nat(), length: fc.constantFrom(0, 1, 5, 4097, 100_000) }),
);

/** Truncates, extends or overwrites bytes of a binary file (weights, demonstration data). */
export const weightEdit = fc.oneof(
  fc.constant(null),
  fc.record({ kind: fc.constant('truncate' as const), keep: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('extend' as const), extra: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('poke' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
);

export function editWeights(w: ArrayBuffer, e: { kind: string; keep?: number; extra?: number; at?: number; bytes?: Uint8Array } | null): ArrayBuffer {
  if (!e) return w.slice(0);
  if (e.kind === 'truncate') return w.slice(0, Math.floor(w.byteLength * e.keep!));
  if (e.kind === 'extend') { const out = new Uint8Array(w.byteLength + e.extra!); out.set(new Uint8Array(w)); return out.buffer; }
  const out = new Uint8Array(w.slice(0));
  out.set(e.bytes!.subarray(0, Math.max(0, out.length - (e.at! % out.length))), e.at! % out.length);
  return out.buffer;
}
