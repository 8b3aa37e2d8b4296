/**
 * What the Responses adapter adds to a request at regional's front door: the same prompt as
 * `POST /v1/chat/completions` and as `POST /v1/responses` (its translation, the inner chat
 * call through the whole pipeline, the answer's translation back, the stored response), in
 * alternating turns, in process (the app's fetch, no sockets to the router) against the
 * simulated providers on loopback with no TTFT or inter-token delay. Prints p50 / p95 of each,
 * non-streamed and streamed (to the last byte), with the load average.
 *
 *   node regional/scripts/bench-responses.ts [--n 300]
 */
import { loadavg } from 'node:os';
import { startSimulator } from '@switchback/loadtests/sim';
import { createRegionalApp } from '../src/create-regional-app.ts';
import { TEST_KEY, testConfig } from '../src/testing/test-config.ts';

const at = process.argv.indexOf('--n');
const n = Math.min(5_000, Number(at === -1 ? '300' : process.argv[at + 1]));
const sim = await startSimulator({ port: 0, ttftMs: 0, itlMs: 0, tokens: 32 });
const regional = createRegionalApp({ config: testConfig(sim.url), env: {} });

const call = async (path: string, body: unknown): Promise<number> => {
  const started = performance.now();
  const res = await regional.fetch(
    new Request(`http://regional${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
  return performance.now() - started;
};

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
const row = (label: string, times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  return `${label.padEnd(24)} p50 ${quantile(sorted, 0.5).toFixed(2)} ms  p95 ${quantile(sorted, 0.95).toFixed(2)} ms`;
};

for (const stream of [false, true]) {
  const chat: number[] = [];
  const responses: number[] = [];
  for (let i = 0; i < n + 20; i++) {
    const text = `Say hello number ${i % 50}.`;
    const c = await call('/v1/chat/completions', {
      model: 'smart',
      messages: [{ role: 'user', content: text }],
      ...(stream ? { stream: true } : {}),
    });
    const r = await call('/v1/responses', {
      model: 'smart',
      input: text,
      ...(stream ? { stream: true } : {}),
    });
    // The first 20 of each warm the JIT and the upstream connections.
    if (i < 20) continue;
    chat.push(c);
    responses.push(r);
  }
  const kind = stream ? 'streamed' : 'non-streamed';
  console.log(row(`chat ${kind}`, chat));
  console.log(row(`responses ${kind}`, responses));
}
console.log(
  `n ${n} each, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
regional.close();
await sim.close();
