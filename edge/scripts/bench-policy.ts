// Policy and classify time per request, measured inside workerd: the Worker runs under
// `wrangler dev`'s runtime (env.local, the Workers AI stand-in pointed at the simulated
// providers) and reports each phase in `server-timing`. Prints p50/p99; asserts nothing.
//   node edge/scripts/bench-policy.ts [requests=600]
// Workers' clocks are coarse by design (Spectre mitigations): phases are whole milliseconds,
// so a p50 of 0 means "under a millisecond".
import { fileURLToPath } from 'node:url';
import { startSimulator } from '@switchback/loadtests/sim';
import { unstable_dev } from 'wrangler';
import { shapes, WORKFLOWS } from './bench-shapes.ts';

const total = Number(process.argv[2] ?? 600);
const root = fileURLToPath(new URL('../..', import.meta.url));

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

const sim = await startSimulator({ port: 0, ttftMs: 1, itlMs: 0, tokens: 4 });
const worker = await unstable_dev(`${root}/edge/src/index.ts`, {
  config: `${root}/wrangler.toml`,
  env: 'local',
  ip: '127.0.0.1',
  port: 0,
  logLevel: 'error',
  vars: {
    AI_STANDIN_URL: `${sim.url}/workers-ai/client/v4/accounts/local/ai`,
    REGIONAL_URL: 'http://127.0.0.1:9',
  },
  experimental: { disableExperimentalWarning: true },
});

try {
  const samples: Record<'policy' | 'classify' | 'sum', number[]> = {
    policy: [],
    classify: [],
    sum: [],
  };
  const names = Object.keys(shapes) as (keyof typeof shapes)[];
  for (let i = 0; i < total + 50; i++) {
    const shape = names[i % names.length] ?? 'short';
    const res = await worker.fetch('/v1/chat/completions', {
      method: 'POST',
      headers: {
        // The premium demo tenant (3,000 requests a minute per workflow): the bench measures
        // the checks, it must not run into the quota itself.
        authorization: 'Bearer sk-local-acme',
        'content-type': 'application/json',
        'x-workflow': WORKFLOWS[i % WORKFLOWS.length] ?? 'chat',
      },
      body: JSON.stringify(shapes[shape]),
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`request ${i} (${shape}) answered ${res.status}`);
    if (i < 50) continue; // warm-up: JIT, Durable Object start
    const timing = res.headers.get('server-timing') ?? '';
    const dur = (name: string) =>
      Number(new RegExp(`${name};dur=([\\d.]+)`).exec(timing)?.[1] ?? Number.NaN);
    samples.policy.push(dur('policy'));
    samples.classify.push(dur('classify'));
    samples.sum.push(dur('policy') + dur('classify'));
  }
  console.log(
    `policy + classify per request in workerd (${total} requests, ${names.join('/')} mix over workflows ${WORKFLOWS.join('/')}):`,
  );
  for (const [name, values] of Object.entries(samples)) {
    const sorted = [...values].sort((a, b) => a - b);
    console.log(
      `  ${name.padEnd(9)} p50 ${percentile(sorted, 50).toFixed(2)} ms  p99 ${percentile(sorted, 99).toFixed(2)} ms  max ${sorted.at(-1)?.toFixed(2)} ms`,
    );
  }
} finally {
  await worker.stop();
  await sim.close();
}
