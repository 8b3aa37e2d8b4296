// What the AI Gateway's cache buys at the regional front door, against the simulated providers
// (their gateway caches with cf-aig-cache-ttl): N sequential requests of one prompt (1 MISS, then
// HITs) against N of distinct prompts (all MISS), through an OpenAI provider behind the gateway;
// and the checkpoint store's get on Redis when a redis-server is on PATH. Prints the figures:
//   node regional/scripts/gateway-cache.ts [N]
// Everything listens on 127.0.0.1, port 0; the redis-server it starts is stopped by its pid.
import { startSimulator } from '@switchback/loadtests/sim';
import { startRegionalServer } from '../src/start-regional-server.ts';
import { createRedisState } from '../src/state/redis/redis-state.ts';
import { redisServerAvailable, startRedisServer } from '../src/state/testing/redis-server.ts';
import { TEST_KEY, testConfig } from '../src/testing/test-config.ts';

const n = Math.max(1, Math.min(500, Number(process.argv[2] ?? 50)));
const sim = await startSimulator({ port: 0 });
const config = testConfig(sim.url, {
  providers: [
    {
      id: 'openai',
      kind: 'openai',
      baseUrl: `${sim.url}/openai/v1`,
      apiKeyEnv: 'OPENAI_API_KEY',
      gateway: { id: 'gw', accountId: 'local', cacheTtl: 600, baseUrl: `${sim.url}/gateway/v1` },
    },
    {
      id: 'workers-ai',
      kind: 'workers-ai',
      baseUrl: `${sim.url}/workers-ai/client/v4/accounts/local/ai`,
    },
    { id: 'vllm', kind: 'openai-compatible', baseUrl: `${sim.url}/compat/v1` },
    { id: 'bedrock', kind: 'bedrock', baseUrl: `${sim.url}/bedrock`, region: 'us-east-1' },
  ],
});
const server = await startRegionalServer({ config, port: 0, env: {} });

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
};

const run = async (prompt: (i: number) => string, count = n) => {
  const ms: number[] = [];
  const statuses = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'smart', messages: [{ role: 'user', content: prompt(i) }] }),
    });
    await res.arrayBuffer();
    ms.push(performance.now() - started);
    const status = res.headers.get('x-router-gateway') ?? 'none';
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  }
  return {
    p50: percentile(ms, 0.5),
    p95: percentile(ms, 0.95),
    statuses: Object.fromEntries(statuses),
  };
};

// Words, not numbers: digits in a prompt can be redacted as PII, which would make prompts equal.
const word = (i: number): string => [...String(i)].map((d) => 'abcdefghij'[Number(d)]).join('');
const tag = word(Date.now());
// The first call of a run loads the SDK: a warm-up that is not counted.
await run(() => `warm up ${tag}`, 1);
const repeated = await run(() => `the same question ${tag}`);
const distinct = await run((i) => `question ${word(i)} ${tag}`);
await server.close();
await sim.close();
const fmt = (r: Awaited<ReturnType<typeof run>>) =>
  `p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, ${JSON.stringify(r.statuses)}`;
console.log(`${n} requests of one prompt:   ${fmt(repeated)}`);
console.log(`${n} requests, distinct prompts: ${fmt(distinct)}`);

if (redisServerAvailable()) {
  const redis = await startRedisServer();
  const state = await createRedisState({
    kind: 'redis',
    url: redis.url,
    timeoutMs: 1_000,
    keyPrefix: 'bench:',
    breakers: 'local',
  });
  const scope = { tenantId: 'demo', session: 'a'.repeat(64) };
  await state.checkpoints.put(scope, {
    ...scope,
    coveredMessages: 40,
    coveredTurns: 20,
    hash: 'ab'.repeat(32),
    summary: 'word '.repeat(200),
    model: 'glm',
    createdAt: Date.now(),
  });
  const ms: number[] = [];
  for (let i = 0; i < n * 10; i++) {
    const started = performance.now();
    await state.checkpoints.get(scope);
    ms.push(performance.now() - started);
  }
  await state.close();
  await redis.stop();
  console.log(
    `checkpoint get on Redis (${n * 10} sequential, ~1 kB summary): p50 ${percentile(ms, 0.5).toFixed(3)} ms, p95 ${percentile(ms, 0.95).toFixed(3)} ms`,
  );
} else {
  console.log('no redis-server on PATH: checkpoint store figure skipped');
}
