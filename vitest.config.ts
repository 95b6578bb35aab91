import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['sdk/**/*.test.ts', 'games/**/*.test.ts', 'workers/**/*.test.ts'],
    // Learning tests train real agents for tens of seconds; they set their own timeouts.
    testTimeout: 30_000,
    // One file per core: learning tests are CPU-bound and the machine has two.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
