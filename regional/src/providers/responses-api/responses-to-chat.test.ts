import { describe, expect, it } from 'vitest';
import {
  chatChunksOf,
  chatCompletionOf,
  type ResponsesAnswer,
  type ResponsesEvent,
  ResponsesStreamError,
} from './responses-to-chat.ts';

const answer = (fields: Partial<ResponsesAnswer>): ResponsesAnswer => ({
  id: 'resp_1',
  created_at: 7,
  model: 'gpt-4.1',
  status: 'completed',
  output: [],
  usage: {
    input_tokens: 10,
    input_tokens_details: { cached_tokens: 4 },
    output_tokens: 3,
    output_tokens_details: { reasoning_tokens: 1 },
    total_tokens: 13,
  },
  ...fields,
});

async function* of(events: ResponsesEvent[]) {
  yield* events;
}

const collect = async (events: ResponsesEvent[]) => {
  const chunks = [];
  for await (const chunk of chatChunksOf(of(events))) chunks.push(chunk);
  return chunks;
};

describe('Responses answers as chat completions', () => {
  it('folds messages, refusals and function calls into one choice, with usage', () => {
    const completion = chatCompletionOf(
      answer({
        output: [
          {
            type: 'message',
            content: [
              { type: 'output_text', text: 'Hel' },
              { type: 'output_text', text: 'lo' },
              { type: 'refusal', refusal: 'no' },
            ],
          },
          { type: 'reasoning' },
          { type: 'function_call', call_id: 'call_1', name: 'f', arguments: '{"a":1}' },
        ],
      }),
    );
    expect(completion).toEqual({
      id: 'resp_1',
      object: 'chat.completion',
      created: 7,
      model: 'gpt-4.1',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'Hello',
            refusal: 'no',
            tool_calls: [
              { id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } },
            ],
          },
          finish_reason: 'tool_calls',
          logprobs: null,
        },
      ],
      usage: {
        prompt_tokens: 10,
        completion_tokens: 3,
        total_tokens: 13,
        prompt_tokens_details: { cached_tokens: 4 },
        completion_tokens_details: { reasoning_tokens: 1 },
      },
    });
  });

  it.each([
    ['max_output_tokens', 'length'],
    ['content_filter', 'content_filter'],
  ])('an incomplete answer (%s) finishes %s', (reason, finish) => {
    const completion = chatCompletionOf(
      answer({ status: 'incomplete', incomplete_details: { reason } }),
    );
    expect(completion.choices[0]?.finish_reason).toBe(finish);
  });
});

describe('Responses streams as chat chunks', () => {
  it('numbers two function calls by their order, arguments at their index', async () => {
    const chunks = await collect([
      { type: 'response.created', response: answer({ status: 'in_progress', usage: null }) },
      {
        type: 'response.output_item.added',
        item: { type: 'function_call', id: 'fc_a', call_id: 'call_a', name: 'f' },
      },
      { type: 'response.function_call_arguments.delta', item_id: 'fc_a', delta: '{}' },
      {
        type: 'response.output_item.added',
        item: { type: 'function_call', id: 'fc_b', call_id: 'call_b', name: 'g' },
      },
      { type: 'response.function_call_arguments.delta', item_id: 'fc_b', delta: '{"x"' },
      { type: 'response.function_call_arguments.delta', item_id: 'fc_a', delta: '' },
      { type: 'response.completed', response: answer({}) },
    ]);
    expect(chunks.map((c) => c.choices[0]?.delta ?? c.usage)).toEqual([
      {
        role: 'assistant',
        tool_calls: [
          { index: 0, id: 'call_a', type: 'function', function: { name: 'f', arguments: '' } },
        ],
      },
      { tool_calls: [{ index: 0, function: { arguments: '{}' } }] },
      {
        tool_calls: [
          { index: 1, id: 'call_b', type: 'function', function: { name: 'g', arguments: '' } },
        ],
      },
      { tool_calls: [{ index: 1, function: { arguments: '{"x"' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '' } }] },
      {},
      expect.objectContaining({ prompt_tokens: 10, completion_tokens: 3 }),
    ]);
    expect(chunks.map((c) => c.choices[0]?.finish_reason ?? null)).toEqual([
      null,
      null,
      null,
      null,
      null,
      'tool_calls',
      null,
    ]);
    expect(new Set(chunks.map((c) => c.id))).toEqual(new Set(['resp_1']));
  });

  it.each([
    [
      'an error event',
      { type: 'error', code: 'server_error', message: 'boom' },
      'boom',
      'server_error',
    ],
    [
      'response.failed',
      {
        type: 'response.failed',
        response: answer({
          status: 'failed',
          error: { code: 'rate_limit_exceeded', message: 'slow down' },
        }),
      },
      'slow down',
      'rate_limit_exceeded',
    ],
  ] as [string, ResponsesEvent, string, string][])(
    'throws on %s after the text before it',
    async (_label, failure, message, code) => {
      const seen: string[] = [];
      const thrown = await (async () => {
        for await (const chunk of chatChunksOf(
          of([{ type: 'response.output_text.delta', delta: 'Hi' }, failure]),
        )) {
          seen.push(chunk.choices[0]?.delta.content ?? '');
        }
      })().catch((error: unknown) => error);
      expect(seen).toEqual(['Hi']);
      expect(thrown).toBeInstanceOf(ResponsesStreamError);
      expect([
        (thrown as ResponsesStreamError).message,
        (thrown as ResponsesStreamError).code,
      ]).toEqual([message, code]);
    },
  );
});
