// The chat requests the edge's policy benchmarks send (bench-policy.ts in workerd,
// bench-policy-cpu.ts in Node), so both measure the same bodies.

const context = Array.from(
  { length: 120 },
  (_, i) => `Doc ${i}: invoices, refunds and chargebacks reconcile across regions each quarter.`,
).join('\n');

/** A one-line prompt, a 10 kB retrieval prompt (~1.9k tokens), and a prompt with two tools. */
export const shapes = {
  short: {
    model: 'auto',
    messages: [{ role: 'user', content: 'Say hello in one short sentence.' }],
  },
  rag: {
    model: 'auto',
    messages: [
      { role: 'system', content: 'Answer from the documents only.' },
      { role: 'user', content: `${context}\n\nWhich documents mention refunds?` },
    ],
  },
  tools: {
    model: 'auto',
    messages: [
      { role: 'user', content: 'What is the weather in Lisbon, and find the docs on it.' },
    ],
    tools: ['get_weather', 'search_docs'].map((name) => ({
      type: 'function',
      function: { name, parameters: { type: 'object', properties: { q: { type: 'string' } } } },
    })),
  },
} as const;

/** The `x-workflow`s the benchmarks cycle through (each has its own budgets in the config). */
export const WORKFLOWS = ['chat', 'support', 'batch'] as const;
