// Builds the production Worker exactly as `wrangler deploy` would, without deploying, and
// prints its size; exits 1 when the gzipped bundle is over the budget. Run from anywhere:
//   node edge/scripts/bundle-size.ts
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** The budget: 150 KB of gzipped script, in bytes (the learned classifier's weights take about 48 KB). */
const LIMIT_BYTES = 150_000;

const root = fileURLToPath(new URL('../..', import.meta.url));
const wrangler = join(
  dirname(createRequire(import.meta.url).resolve('wrangler/package.json')),
  'bin',
  'wrangler.js',
);
const outdir = await mkdtemp(join(tmpdir(), 'switchback-edge-bundle-'));

try {
  const build = spawnSync(
    process.execPath,
    [wrangler, 'deploy', '--dry-run', '--outdir', outdir, '--config', join(root, 'wrangler.toml')],
    { cwd: root, encoding: 'utf8', env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } },
  );
  if (build.status !== 0) {
    console.error(build.stdout, build.stderr);
    console.error('bundle: wrangler deploy --dry-run failed');
    process.exit(1);
  }
  let raw = 0;
  let gzip = 0;
  for (const name of await readdir(outdir)) {
    if (!/\.(m?js|wasm)$/.test(name)) continue;
    const bytes = await readFile(join(outdir, name));
    raw += bytes.byteLength;
    gzip += gzipSync(bytes, { level: 9 }).byteLength;
  }
  const kb = (n: number) => `${(n / 1000).toFixed(1)} KB`;
  const verdict = gzip <= LIMIT_BYTES ? 'ok' : 'OVER BUDGET';
  console.log(
    `bundle: edge Worker ${kb(raw)} raw, ${kb(gzip)} gzip (budget ${kb(LIMIT_BYTES)}): ${verdict}`,
  );
  if (gzip > LIMIT_BYTES) process.exitCode = 1;
} finally {
  await rm(outdir, { recursive: true, force: true });
}
