import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
    // The probe tests run two real processes that spin or sleep against each other on a
    // 2-vCPU machine; another test file running beside them starves a spinning peer and
    // turns milliseconds into seconds. Files therefore run one at a time (the suite is
    // small enough), and tests never assert timings.
    fileParallelism: false,
  },
});
