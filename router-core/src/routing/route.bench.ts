import { test } from 'vitest';
import { benchChats, charsOf, plainPass } from '../../test/bench-chats.ts';
import corpusText from '../../test/data/token-corpus.jsonl?raw';
import { exampleConfig, tenantOf } from '../../test/example-config.ts';
import { classify } from '../classify/classify.ts';
import type { ChatCompletionRequest } from '../openai/chat-request.ts';
import { decide } from './decide.ts';

const chatOf = benchChats(corpusText);
const tenant = tenantOf('demo');
const route = (request: ChatCompletionRequest) => {
  const classification = classify(request, { config: exampleConfig, tenant });
  return decide({ request, classification, config: exampleConfig, tenant });
};

// Targets (p99): 2k tokens ≤ 50 µs, 100k tokens ≤ 2 ms. The classifier reads the ask and 32 to
// 128 windows of 16 characters of the rest (see read-budget.ts), so the time grows with the PII
// pre-filter (a probe every ninth character of every text not read whole) and a little
// bookkeeping per message, not with the characters the scanner reads. The yardstick is one bare
// charCodeAt pass over the same text: the machine's speed at the moment of the run.
// `node router-core/scripts/bench-route.ts` measures the same outside Vite's module runner, with
// 1k and 50k too and the machine's load average.
test('classify + decide, by prompt size', async ({ bench }) => {
  const sizes = [2_000, 10_000, 100_000].map((tokens) => {
    const request = chatOf(tokens);
    const label = `${tokens / 1000}k-token chat (${request.messages.length} messages, ${charsOf(request)} chars)`;
    return { label, request };
  });
  await bench.compare(
    ...sizes.map(({ label, request }) =>
      bench(label, () => {
        route(request);
      }),
    ),
    ...sizes.map(({ label, request }) =>
      bench(`yardstick: one charCodeAt pass over the ${label.split(' (')[0]}`, () => {
        plainPass(request);
      }),
    ),
  );
});
