import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['router-core', 'regional', 'loadtests', 'edge', 'test'],
  },
});
