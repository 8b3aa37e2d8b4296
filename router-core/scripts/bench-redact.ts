// Prompt PII redaction (createRequestRedactor, every built-in kind) on chats of 2k, 10k and 100k
// tokens, the bench-route chats (turns cut from the token corpus), in plain Node:
//   node router-core/scripts/bench-redact.ts
// Prints p50 / p99 / mean per size, with the machine and its load average.
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { createRequestRedactor } from '../src/policy/redact-request.ts';
import { benchChats, charsOf } from '../test/bench-chats.ts';

const corpus = readFileSync(new URL('../test/data/token-corpus.jsonl', import.meta.url), 'utf8');
const chatOf = benchChats(corpus);
const redact = createRequestRedactor();

const quantile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
const fmt = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`);

console.log(
  `${cpus()[0]?.model ?? 'cpu'} ×${cpus().length}, Node ${process.version}, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
for (const tokens of [2_000, 10_000, 100_000]) {
  const chat = chatOf(tokens);
  const runs = tokens >= 100_000 ? 200 : 2_000;
  for (let i = 0; i < Math.min(200, runs); i++) redact(chat);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    redact(chat);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  const kinds = redact(chat).kinds.join(',') || 'none';
  console.log(
    `${tokens} tokens (${chat.messages.length} messages, ${charsOf(chat)} chars): p50 ${fmt(quantile(times, 0.5))}, p99 ${fmt(quantile(times, 0.99))}, mean ${fmt(mean)}; found: ${kinds}`,
  );
}
