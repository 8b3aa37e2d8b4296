import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineProject } from 'vitest/config';

export default defineProject({
  plugins: [
    cloudflareTest(async ({ inject }) => ({
      wrangler: { configPath: '../wrangler.toml', environment: 'local' },
      miniflare: {
        bindings: {
          REGIONAL_URL: inject('regionalUrl'),
          AI_STANDIN_URL: `${inject('simUrl')}/workers-ai/client/v4/accounts/local/ai`,
          SWITCHBACK_HMAC_SECRET: inject('hmacSecret'),
        },
      },
    })),
  ],
  test: {
    name: 'edge',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['./test/node/global-setup.ts'],
    // One workerd for all files: starting one per file costs more than the tests themselves.
    // Files share the Worker's isolate, so tests use their own tenants, keys and session ids.
    isolate: false,
  },
});
