// classify + decide timings in plain Node (no Vite module runner), p50 / p99 per chat size:
//   node router-core/scripts/bench-route.ts
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { classify } from '../src/classify/classify.ts';
import { parseConfig } from '../src/config/parse-config.ts';
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

for (const tokens of [2_000, 10_000, 100_000]) {
  const request = chatOf(tokens);
  const samples = tokens >= 100_000 ? 300 : 3_000;
  const route = time(() => {
    const classification = classify(request, { config, tenant });
    decide({ request, classification, config, tenant });
  }, samples);
  const plain = time(() => plainPass(request), samples);
  console.log(
    `${String(tokens / 1000).padStart(3)}k tokens, ${charsOf(request)} chars: classify + decide p50 ${percentile(route, 0.5).toFixed(1)} µs, p99 ${percentile(route, 0.99).toFixed(1)} µs, min ${(route[0] ?? 0).toFixed(1)} µs; one charCodeAt pass p50 ${percentile(plain, 0.5).toFixed(1)} µs`,
  );
}
