// Policy + classify + decide CPU per request of the edge app (issue #8's edge target: p99 ≤ 1 ms),
// measured in plain Node, where performance.now() is fine-grained: in workerd the clock stands
// still during CPU work, so bench-policy.ts sees whole milliseconds, Durable Object I/O included.
// The app is createApp on the bundled config, called as `app.fetch(request, env, ctx)` with no
// HTTP server, every binding and regional in memory (in-memory-env.ts), so the `policy` and
// `classify` entries of `server-timing` are CPU with no I/O wait in them. Prints p50/p99/max per
// shape and process CPU per request as a cross-check; asserts nothing, but exits 1 on any answer
// that is not a 200 served on the tier decided (no error, no degraded or fallback path).
//   node edge/scripts/bench-policy-cpu.ts [requests=5000] [warmup=500]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { benchChats } from '../../router-core/test/bench-chats.ts';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config/index.ts';
import { shapes, WORKFLOWS } from './bench-shapes.ts';
import { inMemoryEnv, inMemoryExecutionContext, inMemoryRegional } from './in-memory-env.ts';

const measured = Number(process.argv[2] ?? 5000);
const warmup = Number(process.argv[3] ?? 500);

// The 2k-token chat of router-core's classify benchmarks (prose, code, data, twenty languages),
// sent with a session id, so the session lookup and sticky-model step run as for a real chat.
const corpus = readFileSync(
  join(import.meta.dirname, '../../router-core/test/data/token-corpus.jsonl'),
  'utf8',
);
const requests = {
  ...shapes,
  chat2k: benchChats(corpus)(2000),
} as const;
type Shape = keyof typeof requests;
const names = Object.keys(requests) as Shape[];
const bodies = new Map(names.map((name) => [name, JSON.stringify(requests[name])]));
const SESSIONS = 64;
/** Reasons that say the answer did not come the decided way. */
const OFF_PATH = new Set(['regional_unavailable_degraded', 'fallback']);

const METRICS = ['policy', 'classify', 'policy+classify', 'total'] as const;
type Metric = (typeof METRICS)[number];

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

const serverTiming = (header: string, name: string): number =>
  Number(new RegExp(`(?:^|, )${name};dur=([\\d.]+)`).exec(header)?.[1] ?? Number.NaN);

const ms = (value: number) => value.toFixed(3).padStart(7);

const load = /load averages?:\s*(.*)$/.exec(execFileSync('uptime', { encoding: 'utf8' }).trim());
const cpu = cpus();
console.log(
  `machine: ${cpu[0]?.model ?? 'unknown CPU'} × ${cpu.length} · node ${process.version} (V8 ${process.versions.v8}) · load average ${load?.[1] ?? 'unknown'}`,
);

const app = createApp({ config: loadConfig(), fetcher: inMemoryRegional });
const env = inMemoryEnv({ hmacSecret: 'bench-only-hmac-secret' });
const { ctx, settle } = inMemoryExecutionContext();

const samples = new Map(
  names.map((name) => [
    name,
    {
      ...Object.fromEntries(METRICS.map((m) => [m, [] as number[]])),
      cpuUs: 0,
      count: 0,
      tiers: new Set<string>(),
    } as Record<Metric, number[]> & { cpuUs: number; count: number; tiers: Set<string> },
  ]),
);

let runCpu = process.cpuUsage();
let switches = process.resourceUsage().involuntaryContextSwitches;
for (let i = 0; i < warmup + measured; i++) {
  if (i === warmup) {
    runCpu = process.cpuUsage();
    switches = process.resourceUsage().involuntaryContextSwitches;
  }
  const name = names[i % names.length] ?? 'short';
  const headers = new Headers({
    // The premium demo tenant, allowed `auto` and these tools in every workflow.
    authorization: 'Bearer sk-local-acme',
    'content-type': 'application/json',
    'x-workflow': WORKFLOWS[i % WORKFLOWS.length] ?? 'chat',
  });
  if (name === 'chat2k') headers.set('x-session-affinity', `bench-chat-${i % SESSIONS}`);
  const request = new Request('https://edge.switchback.test/v1/chat/completions', {
    method: 'POST',
    headers,
    body: bodies.get(name) ?? '',
  });

  const before = process.cpuUsage();
  const res = await app.fetch(request, env, ctx);
  const text = await res.text();
  await settle();
  const used = process.cpuUsage(before);

  const tier = res.headers.get('x-router-tier');
  const reasons = res.headers.get('x-router-reasons')?.split(',') ?? [];
  if (res.status !== 200 || tier === null || reasons.some((r) => OFF_PATH.has(r))) {
    console.error(
      `request ${i} (${name}) answered ${res.status}, tier ${tier}, reasons ${reasons}: ${text.slice(0, 500)}`,
    );
    process.exit(1);
  }
  if (i < warmup) continue;
  const timing = res.headers.get('server-timing') ?? '';
  const policy = serverTiming(timing, 'policy');
  const classify = serverTiming(timing, 'classify');
  const of = samples.get(name);
  if (of === undefined) continue;
  of.policy.push(policy);
  of.classify.push(classify);
  of['policy+classify'].push(policy + classify);
  of.total.push(serverTiming(timing, 'total'));
  of.cpuUs += used.user + used.system;
  of.count += 1;
  of.tiers.add(tier);
}
const run = process.cpuUsage(runCpu);
switches = process.resourceUsage().involuntaryContextSwitches - switches;

console.log(
  `edge app in Node, bindings in memory: ${measured} requests after ${warmup} warm-up, ${names.join('/')} round-robin over workflows ${WORKFLOWS.join('/')}; every answer a 200`,
);
console.log(
  `  served on: ${[...samples].map(([name, of]) => `${name} ${[...of.tiers].join('+')}`).join(', ')}`,
);
console.log(
  'server-timing per request, ms (the app rounds to 0.01 ms); total = the whole request in the app',
);
// The phases are wall time: a thread preempted by another process counts its wait in them.
console.log(`  (involuntary context switches of this process in the measured run: ${switches})`);
console.log(`  ${'shape'.padEnd(7)} ${'phase'.padEnd(16)}     p50     p99     max`);
const all = Object.fromEntries(METRICS.map((m) => [m, [] as number[]])) as Record<Metric, number[]>;
const rows: [string, Record<Metric, number[]>][] = [...samples.entries()];
for (const [, of] of rows) for (const m of METRICS) all[m].push(...of[m]);
rows.push(['all', all]);
for (const [name, of] of rows) {
  for (const m of METRICS) {
    const sorted = [...of[m]].sort((a, b) => a - b);
    console.log(
      `  ${name.padEnd(7)} ${m.padEnd(16)} ${ms(percentile(sorted, 50))} ${ms(percentile(sorted, 99))} ${ms(sorted.at(-1) ?? Number.NaN)}`,
    );
  }
}
console.log(
  'process CPU (user + system) per request, ms: app.fetch + reading the answer, mean per shape',
);
for (const [name, of] of samples) {
  console.log(`  ${name.padEnd(7)} ${ms(of.cpuUs / of.count / 1000)}`);
}
console.log(
  `  whole measured run ÷ requests (harness, GC and JIT threads included): ${ms((run.user + run.system) / measured / 1000)}`,
);
