/**
 * package.json's `engines.node` promises only what every runtime dependency supports: on each Node
 * release the range admits, every non-dev package in package-lock.json must accept it (the issue:
 * vega-lite 6.5 wants Node 22 while phaser-ppo said >= 20, an EBADENGINE on install).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from './new.js';

type Version = [number, number, number];

function parse(v: string): Version {
  const [a = 0, b = 0, c = 0] = v.replace(/^v/, '').split('.').map((p) => (p === 'x' || p === '*' ? 0 : Number(p)));
  return [a, b, c];
}
function cmp(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** Whether `v` satisfies an npm range made of `||` alternatives of comparators (>=, >, <, <=, =, ^, ~, x). */
export function satisfies(v: Version, range: string): boolean {
  return range.split('||').some((alt) => {
    const parts = alt.trim().replace(/([<>=^~]+)\s+/g, '$1').split(/\s+/).filter(Boolean);
    return parts.every((c) => {
      const m = /^(>=|<=|>|<|=|\^|~)?(.*)$/.exec(c)!;
      const op = m[1] ?? '';
      if (m[2] === '*' || m[2] === 'x' || m[2] === '') return true;
      const w = parse(m[2]!);
      const d = cmp(v, w);
      const digits = m[2]!.split('.').filter((p) => /^\d+$/.test(p)).length;
      switch (op) {
        case '>=': return d >= 0;
        case '>': return d > 0;
        case '<=': return d <= 0;
        case '<': return d < 0;
        case '^': return d >= 0 && (w[0] > 0 ? v[0] === w[0] : w[1] > 0 ? v[0] === 0 && v[1] === w[1] : v[0] === 0 && v[1] === 0 && v[2] === w[2]);
        case '~': return d >= 0 && v[0] === w[0] && (digits < 2 || v[1] === w[1]);
        default: return digits === 1 ? v[0] === w[0] : digits === 2 ? v[0] === w[0] && v[1] === w[1] : d === 0;
      }
    });
  });
}

/** Node releases to try: each line's first and a late patch, from 18 to 26. */
const NODES: Version[] = [];
for (let major = 18; major <= 26; major++) for (const minor of [0, 11, 12, 19, 20, 30]) for (const patch of [0, 5]) NODES.push([major, minor, patch]);

describe('engines', () => {
  it('the range check reads npm ranges', () => {
    expect(satisfies([20, 19, 0], '^20.19.0 || >=22.12.0')).toBe(true);
    expect(satisfies([21, 0, 0], '^20.19.0 || >=22.12.0')).toBe(false);
    expect(satisfies([20, 18, 5], '>=20.19')).toBe(false);
    expect(satisfies([20, 0, 0], '>= 0.4')).toBe(true);
    expect(satisfies([20, 0, 0], '>=22')).toBe(false);
    expect(satisfies([22, 1, 0], '^20.19.0 || ^22.12.0 || >=23')).toBe(false);
  });

  it('every Node version package.json admits is accepted by every runtime dependency', () => {
    const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    const lock = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; dev?: boolean; engines?: { node?: string } }> };
    const admitted = NODES.filter((v) => satisfies(v, pkg.engines.node));
    expect(admitted.length).toBeGreaterThan(0);
    const refused: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      const range = entry.engines?.node;
      if (path === '' || entry.dev || range === undefined) continue;
      const bad = admitted.find((v) => !satisfies(v, range));
      if (bad) refused.push(`${path.replace(/^.*node_modules\//, '')}@${entry.version} wants node ${range}, refuses ${bad.join('.')}`);
    }
    expect(refused, `engines.node is "${pkg.engines.node}"`).toEqual([]);
  });
});
