import type { LoggedRequest } from '@switchback/loadtests/sim';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collectStream, type Harness, startHarness } from '../../testing/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.control.reset();
});

const weather = {
  type: 'json_schema' as const,
  json_schema: {
    name: 'weather_report',
    description: 'A weather report.',
    schema: {
      type: 'object',
      properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 3 } },
      required: ['city', 'days'],
    },
  },
};
// The simulated model fills required fields with samples: strings "sample", integers their minimum.
const ANSWER = '{"city":"sample","days":3}';

const bedrockRequests = async (): Promise<LoggedRequest[]> =>
  (
    (await (await fetch(`${h.sim.url}/_sim/requests?target=bedrock`)).json()) as {
      requests: LoggedRequest[];
    }
  ).requests;

describe('response_format on Bedrock, as a forced tool call', () => {
  it('answers json_schema with the forced tool’s input as the message content', async () => {
    const completion = await h.client.chat.completions.create({
      model: 'claude',
      response_format: weather,
      messages: [{ role: 'user', content: 'Weather in Lisbon?' }],
    });
    expect(completion.choices[0]?.message.content).toBe(ANSWER);
    expect(completion.choices[0]?.message.tool_calls).toBeUndefined();
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    const [sent] = await bedrockRequests();
    expect((sent?.body as { toolConfig?: unknown } | undefined)?.toolConfig).toEqual({
      tools: [
        {
          toolSpec: {
            name: 'weather_report',
            description: 'A weather report.',
            inputSchema: { json: weather.json_schema.schema },
          },
        },
      ],
      toolChoice: { tool: { name: 'weather_report' } },
    });
  });

  it('streams it as content deltas, and json_object forces any object', async () => {
    const streamed = await collectStream(
      await h.client.chat.completions.create({
        model: 'claude',
        stream: true,
        response_format: weather,
        messages: [{ role: 'user', content: 'Weather in Porto?' }],
      }),
    );
    expect(streamed.text).toBe(ANSWER);
    expect(streamed.chunks.some((c) => c.choices[0]?.delta.tool_calls)).toBe(false);
    expect(streamed.chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');

    const object = await h.client.chat.completions.create({
      model: 'claude',
      response_format: { type: 'json_object' },
      messages: [{ role: 'user', content: 'Any JSON.' }],
    });
    expect(object.choices[0]?.message.content).toBe('{}');
    const sent = (await bedrockRequests()).at(-1)?.body as { toolConfig?: unknown } | undefined;
    expect(sent?.toolConfig).toEqual({
      tools: [
        {
          toolSpec: {
            name: 'json_answer',
            description: 'Answer with a JSON object.',
            inputSchema: { json: { type: 'object' } },
          },
        },
      ],
      toolChoice: { tool: { name: 'json_answer' } },
    });
  });
});
