import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // Probe tests measure real processes on a 2-vCPU machine: files that spawn
    // timing-sensitive peers opt into running alone through `describe.sequential`
    // and the `probe` project below keeps them off the shared worker pool.
    pool: 'forks',
  },
});
