// classify + decide timings in plain Node (no Vite module runner), p50 / p99 per chat size:
//   node router-core/scripts/bench-route.ts
// The machine, Node and the load average are printed first: on a shared VM the p99 moves with
// whatever else runs.
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parse } from 'yaml';
import { classify } from '../src/classify/classify.ts';
import {
  CONTEXT_WINDOW_CHARS,
  MAX_CONTEXT_WINDOWS,
  MIN_CONTEXT_WINDOWS,
} from '../src/classify/read-budget.ts';
import { parseConfig } from '../src/config/parse-config.ts';
import type { ChatCompletionRequest } from '../src/openai/chat-request.ts';
import { decide } from '../src/routing/decide.ts';
import { benchChats, charsOf, plainPass } from '../test/bench-chats.ts';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const parsed = parseConfig(parse(read('../../router.config.yaml')));
if (!parsed.ok) throw new Error('router.config.yaml is invalid');
const config = parsed.config;
const tenant = config.tenants[0];
if (tenant === undefined) throw new Error('no tenant');
const chatOf = benchChats(read('../test/data/token-corpus.jsonl'));

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
const time = (run: () => unknown, samples: number): number[] => {
  for (let i = 0; i < Math.min(samples, 200); i++) run();
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = performance.now();
    run();
    out.push((performance.now() - start) * 1000);
  }
  return out.sort((a, b) => a - b);
};
const µs = (x: number) => `${x.toFixed(1)} µs`;

console.log(
  `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(
      ' ',
    )}; context read through ${MIN_CONTEXT_WINDOWS} to ${MAX_CONTEXT_WINDOWS} windows of ${CONTEXT_WINDOW_CHARS} chars`,
);
const sizes = [1_000, 2_000, 10_000, 50_000, 100_000].map((tokens) => ({
  tokens,
  request: chatOf(tokens),
}));
const route = (request: ChatCompletionRequest) => {
  const classification = classify(request, { config, tenant });
  decide({ request, classification, config, tenant });
};
// Every size first, so the JIT has settled on code that serves them all, as in a server.
for (let i = 0; i < 300; i++) for (const { request } of sizes) route(request);

for (const { tokens, request } of sizes) {
  const samples = tokens >= 50_000 ? 500 : 3_000;
  const routed = time(() => route(request), samples);
  const plain = time(() => plainPass(request), samples);
  console.log(
    `${String(tokens / 1000).padStart(3)}k tokens, ${String(request.messages.length).padStart(4)} messages, ${String(charsOf(request)).padStart(6)} chars: classify + decide p50 ${µs(percentile(routed, 0.5))}, p99 ${µs(percentile(routed, 0.99))}, min ${µs(routed[0] ?? 0)}; one charCodeAt pass p50 ${µs(percentile(plain, 0.5))}`,
  );
}

// The learned text model reads the ask whole up to 900 characters: the longest ask it reads.
const longAsk: ChatCompletionRequest = {
  model: 'auto',
  messages: [
    { role: 'system', content: 'You are a helpful assistant.' },
    {
      role: 'user',
      content:
        'Please explain, step by step, how the interest on a loan of 2,400 dollars grows over five years when the rate changes every year, and what a borrower should watch for. '
          .repeat(6)
          .slice(0, 900),
    },
  ],
};
for (let i = 0; i < 300; i++) route(longAsk);
const asked = time(() => route(longAsk), 3_000);
console.log(
  `a 900-char ask alone: classify + decide p50 ${µs(percentile(asked, 0.5))}, p99 ${µs(percentile(asked, 0.99))}, min ${µs(asked[0] ?? 0)}`,
);
