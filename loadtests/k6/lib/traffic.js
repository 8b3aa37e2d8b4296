// The traffic mix: a prompt corpus by category, several tenants, workflows and sessions.
// Deterministic in the iteration number so two runs send the same sequence.

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

const longContext = (n) => {
  const out = [];
  for (let i = 0; i < n; i += 1) out.push(`${i + 1}. ${PARAGRAPHS[i % PARAGRAPHS.length]}`);
  return out.join('\n');
};
const LONG_DOC = longContext(600);

const CATEGORIES = {
  short_chat: (i) => ({
    messages: [
      {
        role: 'user',
        content: [
          'Hi there!',
          'Thanks, that helps.',
          'What does ETA mean?',
          'Say hello in French.',
        ][i % 4],
      },
    ],
  }),
  extraction: (i) => ({
    messages: [
      { role: 'system', content: 'Extract the fields as JSON.' },
      {
        role: 'user',
        content: `Invoice ${1000 + (i % 97)} from Acme Ltd, due 2026-12-${(i % 28) + 1}, total 4,${i % 1000} EUR.`,
      },
    ],
    response_format: { type: 'json_object' },
  }),
  coding: (i) => ({
    messages: [
      {
        role: 'user',
        content: `Refactor this function to be iterative and explain the complexity:\n\`\`\`ts\nfunction fib${i % 9}(n: number): number {\n  return n < 2 ? n : fib${i % 9}(n - 1) + fib${i % 9}(n - 2);\n}\n\`\`\`\nThen write unit tests for edge cases and prove the loop invariant step by step.`,
      },
    ],
  }),
  reasoning: (i) => ({
    messages: [
      {
        role: 'user',
        content: `A train leaves at ${8 + (i % 5)}:00 at 80 km/h and another at ${9 + (i % 5)}:30 at 120 km/h on the same track. Step by step, derive when the second catches up, prove the result, and then analyse how the answer changes if the first train stops for 15 minutes.`,
      },
    ],
  }),
  tool_use: (i) => ({
    messages: [
      {
        role: 'user',
        content: `What is the weather in ${['Paris', 'Lisbon', 'Oslo', 'Kyoto'][i % 4]} tomorrow?`,
      },
    ],
    tools: [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Get the forecast for a city',
          parameters: {
            type: 'object',
            properties: { city: { type: 'string' } },
            required: ['city'],
          },
        },
      },
    ],
  }),
  long_context: (i) => ({
    messages: [
      { role: 'system', content: 'You are an analyst. Answer from the document only.' },
      {
        role: 'user',
        content: `${LONG_DOC}\n\nQuestion ${i % 13}: summarise the risks above and rank them.`,
      },
    ],
  }),
};

/** Weights per mix name; each entry is [category, weight]. */
export const MIXES = {
  default: [
    ['short_chat', 35],
    ['extraction', 20],
    ['tool_use', 10],
    ['coding', 15],
    ['reasoning', 15],
    ['long_context', 5],
  ],
  long_context: [['long_context', 100]],
};

const WORKFLOW_OF = {
  short_chat: 'chat',
  extraction: 'batch',
  coding: 'chat',
  reasoning: 'chat',
  tool_use: 'chat',
  long_context: 'batch',
};

const pickCategory = (mix, i) => {
  const entries = MIXES[mix] ?? MIXES.default;
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  // A fixed stride spreads categories evenly over the sequence.
  let point = (i * 37) % total;
  for (const [name, weight] of entries) {
    if (point < weight) return name;
    point -= weight;
  }
  return entries[0][0];
};

/** The i-th request of the mix: body, headers and labels for metrics. */
export const requestAt = (mix, i, tenants, options) => {
  const category = pickCategory(mix, i);
  const tenant = tenants[i % tenants.length];
  const workflow = WORKFLOW_OF[category];
  const stream = i % 10 < options.streamingPercent / 10;
  const body = { model: 'auto', ...CATEGORIES[category](i), stream };
  if (stream) body.stream_options = { include_usage: true };
  return {
    category,
    workflow,
    tenant: tenant.name,
    stream,
    body: JSON.stringify(body),
    headers: {
      authorization: `Bearer ${tenant.key}`,
      'content-type': 'application/json',
      'x-workflow': workflow,
      'x-session-affinity': `${tenant.name}-session-${i % 50}`,
    },
  };
};
