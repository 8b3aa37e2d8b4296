import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'e2e',
    include: ['**/*.test.ts'],
    environment: 'node',
    // Finds k6 or builds it (3-4 minutes, once) before the first test's timeout starts.
    globalSetup: ['./k6-setup.ts'],
    // Each file brings up the whole stack: one at a time on a 2-core machine.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
