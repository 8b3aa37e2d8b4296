/**
 * What `responsesApi: native` costs against OpenAI's chat completions upstream: the same chat
 * request at regional's front door, served by an app whose `openai` provider is on chat
 * completions (streams passed through as bytes) and by one on the Responses endpoint (a
 * Responses body out, its typed events parsed and translated to chunks), in alternating turns,
 * in process (the apps' fetch) against the simulated OpenAI on loopback with no TTFT or
 * inter-token delay. Prints p50 / p95 of each, non-streamed and streamed (to the last byte),
 * with the load average.
 *
 *   node regional/scripts/bench-native-responses.ts [--n 300]
 */
import { loadavg } from 'node:os';
import { startSimulator } from '@switchback/loadtests/sim';
import { createRegionalApp } from '../src/create-regional-app.ts';
import { TEST_KEY, testConfig } from '../src/testing/test-config.ts';

const at = process.argv.indexOf('--n');
const n = Math.min(5_000, Number(at === -1 ? '300' : process.argv[at + 1]));
const sim = await startSimulator({ port: 0, ttftMs: 0, itlMs: 0, tokens: 32 });
const chatConfig = testConfig(sim.url);
const nativeConfig = testConfig(sim.url, {
  providers: chatConfig.providers.map((p) =>
    p.kind === 'openai' ? { ...p, responsesApi: 'native' as const } : p,
  ),
} as never);
const apps = {
  chat: createRegionalApp({ config: chatConfig, env: {} }),
  native: createRegionalApp({ config: nativeConfig, env: {} }),
};

const call = async (app: keyof typeof apps, stream: boolean): Promise<number> => {
  const started = performance.now();
  const res = await apps[app].fetch(
    new Request('http://regional/v1/chat/completions', {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'smart',
        stream,
        messages: [{ role: 'user', content: 'Name three trees.' }],
      }),
    }),
  );
  await res.arrayBuffer();
  if (res.status !== 200 || res.headers.get('x-router-provider') !== 'openai') {
    throw new Error(`${app}: ${res.status} ${res.headers.get('x-router-provider')}`);
  }
  return performance.now() - started;
};

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
const row = (label: string, times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  return `${label.padEnd(22)} p50 ${quantile(sorted, 0.5).toFixed(2)} ms  p95 ${quantile(sorted, 0.95).toFixed(2)} ms`;
};

const times: Record<string, number[]> = {};
const turn = async (label: string, app: keyof typeof apps, stream: boolean) => {
  const sample = await call(app, stream);
  const samples = times[label] ?? [];
  samples.push(sample);
  times[label] = samples;
};
// Warm-up: SDKs loaded, connections open, JIT settled.
for (let i = 0; i < 30; i++) {
  for (const stream of [false, true]) {
    await call('chat', stream);
    await call('native', stream);
  }
}
for (let i = 0; i < n; i++) {
  await turn('chat, whole', 'chat', false);
  await turn('native, whole', 'native', false);
  await turn('chat, streamed', 'chat', true);
  await turn('native, streamed', 'native', true);
}
console.log(
  `n=${n} each, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
for (const [label, samples] of Object.entries(times)) console.log(row(label, samples));
apps.chat.close();
apps.native.close();
await sim.close();
