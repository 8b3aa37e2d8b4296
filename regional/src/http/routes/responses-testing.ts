import type OpenAI from 'openai';
import { afterAll, beforeAll } from 'vitest';
import { eventually, type Harness, startHarness } from '../../testing/harness.ts';

type HarnessOptions = NonNullable<Parameters<typeof startHarness>[0]>;

/**
 * Slow, long answers (20 ms a token, 400 tokens) under budgets that let them run: a background
 * run or a stream is still mid-answer when a test cancels it, cuts it or kills its replica.
 */
export const SLOW_LONG_ANSWERS = {
  sim: { ttftMs: 5, itlMs: 20, tokens: 400 },
  config: { budgets: { default: { ttftMs: 5000, totalMs: 60_000, policyMs: 50 } } },
} satisfies HarnessOptions;

/**
 * The harness of one test file: started before its tests and closed after them. Its fields
 * read the started one, so a test uses it as it would the harness itself.
 */
export const harnessForFile = (options: HarnessOptions = {}): Harness => {
  let started: Harness | undefined;
  beforeAll(async () => {
    started = await startHarness(options);
  });
  afterAll(async () => {
    await started?.close();
  });
  const harness = (): Harness => {
    if (started === undefined) throw new Error('the harness is started in beforeAll');
    return started;
  };
  return {
    get sim() {
      return harness().sim;
    },
    get server() {
      return harness().server;
    },
    get config() {
      return harness().config;
    },
    get control() {
      return harness().control;
    },
    get client() {
      return harness().client;
    },
    close: () => harness().close(),
  };
};

/** The function tool the Responses tests call (the simulator answers it with a city). */
export const WEATHER = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'The weather in a city.',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  },
  strict: true,
};

/**
 * The chat messages a function-tool round trip goes upstream as: the question, the assistant's
 * call (`name: get_weather`) and the call's output.
 */
export const weatherRoundTrip = (
  question: string,
  call: { call_id: string; arguments: string },
  output: string,
) => [
  { role: 'user', content: question },
  {
    role: 'assistant',
    content: null,
    tool_calls: [
      {
        id: call.call_id,
        type: 'function',
        function: { name: 'get_weather', arguments: call.arguments },
      },
    ],
  },
  { role: 'tool', tool_call_id: call.call_id, content: output },
];

/** The messages of the last chat request the simulator was sent. */
export const lastSentMessages = async (h: Pick<Harness, 'sim'>): Promise<unknown[] | undefined> => {
  const { requests } = (await (await fetch(`${h.sim.url}/_sim/requests?limit=1`)).json()) as {
    requests: { body: { messages: unknown[] } }[];
  };
  return requests[0]?.body.messages;
};

/** A stored response's status, as the SDK retrieves it. */
export const statusOf = async (client: OpenAI, id: string): Promise<string> =>
  (await client.responses.retrieve(id)).status ?? '';

/** Whether the background response `id` ended (neither queued nor in progress) within `timeoutMs`. */
export const endsWithin = (client: OpenAI, id: string, timeoutMs: number): Promise<boolean> =>
  eventually(
    async () => !['queued', 'in_progress'].includes(await statusOf(client, id)),
    timeoutMs,
  );
