// Runs every vitest project; with SWITCHBACK_VITEST_JSON set, also writes the JSON report there
// (CI prints its "N passed, N failed" line from it).
import { spawnSync } from 'node:child_process';

const args = ['run', ...process.argv.slice(2)];
const json = process.env.SWITCHBACK_VITEST_JSON;
if (json) args.push('--reporter=default', '--reporter=json', `--outputFile.json=${json}`);
const result = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', ...args], {
  stdio: 'inherit',
  env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
});
process.exit(result.status ?? 1);
