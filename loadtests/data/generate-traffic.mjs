// Writes the recorded traffic that `switchback simulate`, `calibrate` and `diff` are tested on:
// traffic-train.jsonl and traffic-holdout.jsonl, the same mix drawn with two seeds.
//   node loadtests/data/generate-traffic.mjs [--lines N] [--out DIR] [--seed S]
// With --out and --seed it writes one file, traffic.jsonl (e.g. 100,000 lines for a bench).
// Each line: {request, tenant, workflow, label} where label is 'easy' or 'hard'.
// Deterministic: the same arguments always write the same bytes.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const LABELLED = join(here, '../../router-core/test/data/labelled-prompts.jsonl');

// mulberry32: small, seeded, good enough for a traffic mix.
const rng = (seed) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

// The labelled set without its long documents (they would make the files tens of MB).
const labelled = readFileSync(LABELLED, 'utf8')
  .trim()
  .split('\n')
  .filter((line) => line.length < 2_000)
  .map((line) => JSON.parse(line));

const WORKFLOW_OF_CATEGORY = {
  'chit-chat': 'chat',
  extraction: 'batch',
  'short rewrite': 'chat',
  translation: 'chat',
  summarisation: 'batch',
  maths: 'chat',
  coding: 'chat',
  'simple tool call': 'support',
  'multi-step reasoning': 'chat',
  'tool planning': 'support',
};

const OPENERS = [
  '',
  '',
  'Quick question: ',
  'Please help. ',
  'Hi! ',
  'I need this for a meeting in ten minutes. ',
  'My manager asked me about this and I would like a clear answer. ',
  'Context: I am working on a small side project at home and got stuck. ',
];
const CLOSERS = [
  '',
  '',
  ' Thanks!',
  ' Keep it short.',
  ' Please be concise.',
  ' A few sentences are enough.',
  ' Explain your answer in detail with examples.',
  ' Give me the answer as a bulleted list.',
];
const SYSTEMS = [
  undefined,
  undefined,
  'You are a helpful assistant.',
  'You are a support agent for an online shop. Be polite and brief.',
  'You are an expert software engineer. Answer precisely.',
];

const PARAGRAPHS = [
  'The warehouse ledger records every inbound pallet with its supplier, weight and customs code.',
  'Quarterly revenue rose in the northern region while returns fell after the packaging change.',
  'The incident began when a configuration push disabled health checks on two load balancers.',
  'Customers in the pilot cohort used the export feature three times more often than the control.',
  'The contract renews automatically unless either party gives ninety days written notice.',
  'Latency regressions correlated with a dependency upgrade that enabled synchronous logging.',
  'The migration plan moves reads first, then writes, with a dual-write window of two weeks.',
  'Survey respondents cited onboarding friction and unclear pricing as the top churn reasons.',
];

const CITIES = ['Paris', 'Lisbon', 'Oslo', 'Kyoto', 'Nairobi', 'Lima'];

const TOOL = (name, description) => ({
  type: 'function',
  function: {
    name,
    description,
    parameters: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] },
  },
});

const user = (content) => ({ role: 'user', content });

// Templated categories in the style of loadtests/k6/lib/traffic.js, each with its label.
const TEMPLATES = {
  short_chat: (r) => ({
    label: 'easy',
    workflow: 'chat',
    body: {
      messages: [
        user(
          ['Hi there!', 'Thanks, that helps.', 'What does ETA mean?', 'Say hello in French.'][
            Math.floor(r() * 4)
          ],
        ),
      ],
    },
  }),
  extraction: (r) => ({
    label: 'easy',
    workflow: 'batch',
    body: {
      messages: [
        { role: 'system', content: 'Extract the fields as JSON.' },
        user(
          `Invoice ${1000 + Math.floor(r() * 9000)} from Acme Ltd, due 2026-12-${1 + Math.floor(r() * 28)}, total ${Math.floor(r() * 9000)} EUR.`,
        ),
      ],
      response_format: { type: 'json_object' },
    },
  }),
  tool_use: (r) => ({
    label: 'easy',
    workflow: 'support',
    body: {
      messages: [user(`What is the weather in ${CITIES[Math.floor(r() * CITIES.length)]} tomorrow?`)],
      tools: [TOOL('get_weather', 'Get the forecast for a city')],
    },
  }),
  refund: (r) => ({
    label: 'hard',
    workflow: 'support',
    body: {
      messages: [user(`Order ${Math.floor(r() * 1e6)} arrived broken, please refund it.`)],
      tools: [TOOL('lookup_order', 'Find an order'), TOOL('refund_order', 'Refund an order')],
    },
  }),
  coding: (r) => {
    const n = Math.floor(r() * 9);
    return {
      label: 'hard',
      workflow: 'chat',
      body: {
        messages: [
          user(
            `Refactor this function to be iterative and explain the complexity:\n\`\`\`ts\nfunction fib${n}(n: number): number {\n  return n < 2 ? n : fib${n}(n - 1) + fib${n}(n - 2);\n}\n\`\`\`\nThen write unit tests for edge cases and prove the loop invariant step by step.`,
          ),
        ],
      },
    };
  },
  reasoning: (r) => {
    const h = 8 + Math.floor(r() * 5);
    return {
      label: 'hard',
      workflow: 'chat',
      body: {
        messages: [
          user(
            `A train leaves at ${h}:00 at 80 km/h and another at ${h + 1}:30 at 120 km/h on the same track. Step by step, derive when the second catches up, prove the result, and then analyse how the answer changes if the first train stops for 15 minutes.`,
          ),
        ],
      },
    };
  },
  // Medium context (above 4,000 estimated tokens): the budgets of a chat workflow are at risk.
  long_context: (r) => {
    const paragraphs = 180 + Math.floor(r() * 80);
    const doc = Array.from(
      { length: paragraphs },
      (_, i) => `${i + 1}. ${PARAGRAPHS[Math.floor(r() * PARAGRAPHS.length)]}`,
    ).join('\n');
    return {
      label: 'hard',
      workflow: r() < 0.5 ? 'batch' : 'chat',
      body: {
        messages: [
          { role: 'system', content: 'You are an analyst. Answer from the document only.' },
          user(`${doc}\n\nQuestion ${Math.floor(r() * 13)}: summarise the risks above and rank them.`),
        ],
      },
    };
  },
};

const TEMPLATE_WEIGHTS = [
  ['short_chat', 8],
  ['extraction', 6],
  ['tool_use', 4],
  ['refund', 2],
  ['coding', 4],
  ['reasoning', 4],
  ['long_context', 0.5],
];
const TEMPLATE_TOTAL = TEMPLATE_WEIGHTS.reduce((sum, [, w]) => sum + w, 0);
const LABELLED_SHARE = 0.7;

const pick = (r, list) => list[Math.floor(r() * list.length)];

const vary = (r, messages) => {
  const opener = pick(r, OPENERS);
  const closer = pick(r, CLOSERS);
  const out = messages.map((m) => ({ ...m }));
  const last = out.findLastIndex((m) => m.role === 'user' && typeof m.content === 'string');
  if (last >= 0) out[last].content = `${opener}${out[last].content}${closer}`;
  const system = pick(r, SYSTEMS);
  if (system !== undefined && out[0]?.role !== 'system') out.unshift({ role: 'system', content: system });
  return out;
};

const lineAt = (r) => {
  let entry;
  if (r() < LABELLED_SHARE) {
    const base = pick(r, labelled);
    entry = {
      label: base.label,
      workflow: WORKFLOW_OF_CATEGORY[base.category] ?? 'chat',
      body: { ...base.request, messages: vary(r, base.request.messages) },
    };
  } else {
    let point = r() * TEMPLATE_TOTAL;
    let name = TEMPLATE_WEIGHTS[0][0];
    for (const [candidate, weight] of TEMPLATE_WEIGHTS) {
      name = candidate;
      if (point < weight) break;
      point -= weight;
    }
    entry = TEMPLATES[name](r);
    entry.body.messages = vary(r, entry.body.messages);
  }
  const tenant = r() < 0.7 ? 'demo' : 'acme';
  const roll = r();
  const model = roll < 0.03 ? 'fast' : roll < 0.06 ? 'smart' : 'auto';
  const request = { ...entry.body, model };
  if (r() < 0.2) request.max_tokens = pick(r, [64, 256, 1024, 4096]);
  return JSON.stringify({ request, tenant, workflow: entry.workflow, label: entry.label });
};

const write = (path, lines, seed) => {
  const r = rng(seed);
  const out = [];
  for (let i = 0; i < lines; i++) out.push(lineAt(r));
  writeFileSync(path, `${out.join('\n')}\n`);
};

const { values } = parseArgs({
  options: {
    lines: { type: 'string', default: '3000' },
    out: { type: 'string' },
    seed: { type: 'string' },
  },
});
const lines = Number(values.lines);
if (values.out !== undefined) {
  write(join(values.out, 'traffic.jsonl'), lines, Number(values.seed ?? 1));
} else {
  write(join(here, 'traffic-train.jsonl'), lines, 20261123);
  write(join(here, 'traffic-holdout.jsonl'), lines, 11232026);
}
