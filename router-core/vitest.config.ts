import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'router-core',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    benchmark: { include: ['src/**/*.bench.ts'] },
  },
});
