/**
 * Throughput of regional with 1 and with 2 replicas on this machine, both on one Redis (`state:
 * redis`), driven by k6 (each virtual user keeps to one replica, as a balancer would spread
 * them). Non-streaming `model: fast` requests to the simulator with no delay, so what is measured
 * is the router. Prints requests/s and latency per replica count, and the machine's load. On a
 * 2-core machine shared with k6, the simulator and Redis, expect well short of 2x.
 *
 *   node regional/scripts/scale-throughput.ts [--seconds 15] [--vus 32]
 */
import { execSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator } from '@switchback/loadtests/sim';
import { ensureK6 } from '../../loadtests/src/runner/k6-binary.ts';
import { type Replica, startReplica } from '../src/state/testing/fleet.ts';
import { startRedisServer } from '../src/state/testing/redis-server.ts';
import { TEST_KEY, testConfig } from '../src/testing/test-config.ts';

const arg = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : (process.argv[at + 1] ?? fallback);
};
const seconds = Number(arg('seconds', '15'));
const vus = Number(arg('vus', '32'));

const k6 = ensureK6(console.log);
const dir = mkdtempSync(join(tmpdir(), 'switchback-throughput-'));
const sim = await startSimulator({ port: 0, ttftMs: 0, itlMs: 0, tokens: 16 });
const redis = await startRedisServer();
const configFor = (state: 'memory' | 'redis') => {
  const path = join(dir, `router.config.${state}.json`);
  const config = testConfig(sim.url, {
    state:
      state === 'redis' ? { kind: 'redis', url: redis.url, timeoutMs: 50 } : { kind: 'memory' },
    quotas: { standard: { requestsPerMinute: 100_000_000, tokensPerMinute: 1_000_000_000_000 } },
    budgets: { default: { ttftMs: 5_000, totalMs: 10_000, policyMs: 1_000 } },
  });
  writeFileSync(path, JSON.stringify(config));
  return path;
};
const script = join(dir, 'load.js');
writeFileSync(
  script,
  `import http from 'k6/http';
import { check } from 'k6';
const urls = JSON.parse(__ENV.URLS);
const body = JSON.stringify({ model: 'fast', messages: [{ role: 'user', content: 'hello there' }] });
const params = { headers: { authorization: 'Bearer ${TEST_KEY}', 'content-type': 'application/json' } };
export default function () {
  const res = http.post(urls[__VU % urls.length] + '/v1/chat/completions', body, params);
  check(res, { ok: (r) => r.status === 200 });
}
`,
);

const load = () => execSync('uptime').toString().trim();
const run = async (replicas: Replica[]) => {
  const summary = join(dir, 'summary.json');
  const child = spawn(
    k6,
    [
      'run',
      '--quiet',
      '--no-usage-report',
      '--vus',
      String(vus),
      '--duration',
      `${seconds}s`,
      '--summary-trend-stats',
      'med,p(99)',
      '--summary-export',
      summary,
      script,
    ],
    { env: { ...process.env, URLS: JSON.stringify(replicas.map((r) => r.url)) }, stdio: 'ignore' },
  );
  await new Promise((resolve) => child.once('exit', resolve));
  const m = JSON.parse(readFileSync(summary, 'utf8')).metrics;
  return {
    rate: m.http_reqs.rate as number,
    med: m.http_req_duration.med as number,
    p99: m.http_req_duration['p(99)'] as number,
    failed: m.http_req_failed.passes as number,
  };
};

const replicas: Replica[] = [];
try {
  console.log(`before: ${load()}`);
  // The baseline first: one replica with its state in memory (no Redis round trips).
  for (const [state, count] of [
    ['memory', 1],
    ['redis', 1],
    ['redis', 2],
  ] as const) {
    for (const replica of replicas.splice(0)) await replica.kill();
    const configPath = configFor(state);
    while (replicas.length < count) replicas.push(await startReplica(configPath, {}));
    await run(replicas); // warm-up: connections, JIT
    const r = await run(replicas);
    console.log(
      `${count} replica${count === 1 ? ', ' : 's,'} ${state.padEnd(6)}: ${r.rate.toFixed(0)} requests/s, median ${r.med.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ${r.failed} failed (${vus} VUs, ${seconds} s; ${load()})`,
    );
  }
} finally {
  await Promise.all(replicas.map((r) => r.kill()));
  await redis.stop();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
}
