/**
 * The README's Phaser quick start is test-types/quickstart.ts, word for word: the package test
 * (e2e/package.spec.ts) compiles that file with `strict` against the packed package, so the code a
 * reader copies imports from `phaser-ppo` and compiles as written.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

describe('README: Quick start inside a Phaser scene', () => {
  it('is test-types/quickstart.ts, which imports only packages', () => {
    const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Quick start: an NPC that learns inside a Phaser scene'));
    const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    const file = readFileSync(resolve(root, 'test-types/quickstart.ts'), 'utf8');
    expect(block).toBe(file);
    const sources = [...file.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect(sources).toEqual(['phaser', 'phaser-ppo', 'phaser-ppo/phaser']);
  });
});
