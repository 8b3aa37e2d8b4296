// `node scripts/ensure-k6.ts`: the k6 the load tests and the SLO smoke will use, built first into
// .cache/bin when the machine has none (what `npm test` does in its e2e global setup), then its
// version. Exit 1, with the command to run, when it cannot be built here.
import { spawnSync } from 'node:child_process';
import { ensureK6, findK6 } from '../loadtests/src/runner/k6-binary.ts';

try {
  const found = findK6();
  const k6 = found?.path ?? ensureK6(console.log);
  console.log(`k6: ${k6}${found === undefined ? '' : ` (from ${found.from})`}`);
  const version = spawnSync(k6, ['version'], { stdio: 'inherit' });
  process.exitCode = version.status ?? 1;
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
