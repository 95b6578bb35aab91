import { describe, it, expect } from 'vitest';
import { compileKernels } from './build.js';
import { kernelsBinary } from './load.js';

describe('the committed kernels binary (mlp-wasm.ts)', () => {
  it('is what assembly/mlp.ts compiles to: run `npm run build:kernels` if this fails', async () => {
    const { binary } = await compileKernels();
    const committed = kernelsBinary();
    expect(committed.length, 'size of mlp-wasm.ts vs a fresh build').toBe(binary.length);
    expect(Buffer.from(committed).equals(Buffer.from(binary))).toBe(true);
  }, 60_000);
});
