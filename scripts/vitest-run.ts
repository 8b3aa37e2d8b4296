// `node scripts/vitest-run.ts <label> [vitest args…]`: runs vitest once; with
// SWITCHBACK_VITEST_JSON_DIR set, also writes the JSON report to <dir>/<label>.json (CI sums them
// into its "N passed, N failed" line).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const [label = 'all', ...rest] = process.argv.slice(2);
const args = ['run', ...rest];
const dir = process.env.SWITCHBACK_VITEST_JSON_DIR;
if (dir) {
  args.push(
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${join(dir, `${label}.json`)}`,
  );
}
const result = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', ...args], {
  stdio: 'inherit',
  env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
});
process.exit(result.status ?? 1);
