import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk, ChunkDelta, FinishReason } from '../openai/chat-response.ts';
import { encodeResponseEvents } from './response-event-stream.ts';
import { responseShell } from './response-object.ts';
import { responsesRequestSchema } from './responses-request.ts';
import { createResponseStream } from './stream-events.ts';

const chunk = (delta: ChunkDelta, finish: FinishReason | null = null): ChatCompletionChunk => ({
  id: 'c',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'gpt-4.1',
  choices: [{ index: 0, delta, finish_reason: finish }],
});
const usage = {
  prompt_tokens: 10,
  completion_tokens: 3,
  total_tokens: 13,
  prompt_tokens_details: { cached_tokens: 8 },
};
const totals: ChatCompletionChunk = { ...chunk({}), choices: [], usage };

const shell = () =>
  responseShell(responsesRequestSchema.parse({ model: 'auto', input: 'hi' }), 'resp_1', 100);

describe('a chat stream as the typed Responses events', () => {
  it('makes a text answer one message item with one output_text part, usage with cached tokens', () => {
    const stream = createResponseStream(shell());
    const events = [
      ...stream.push(chunk({ role: 'assistant', content: 'Hel' })),
      ...stream.push(chunk({ content: 'lo' }, 'stop')),
      ...stream.push(totals),
      ...stream.end(),
    ];
    expect(events.map((e) => [e.sequence_number, e.type])).toEqual([
      [0, 'response.created'],
      [1, 'response.in_progress'],
      [2, 'response.output_item.added'],
      [3, 'response.content_part.added'],
      [4, 'response.output_text.delta'],
      [5, 'response.output_text.delta'],
      [6, 'response.output_text.done'],
      [7, 'response.content_part.done'],
      [8, 'response.output_item.done'],
      [9, 'response.completed'],
    ]);
    expect(events[0]).toMatchObject({
      response: { id: 'resp_1', status: 'in_progress', model: 'gpt-4.1', output: [] },
    });
    expect(events[6]).toMatchObject({ text: 'Hello', output_index: 0, content_index: 0 });
    const completed = events[9];
    expect(completed?.type === 'response.completed' && completed.response).toMatchObject({
      status: 'completed',
      output: [
        {
          type: 'message',
          status: 'completed',
          content: [{ type: 'output_text', text: 'Hello', annotations: [] }],
        },
      ],
      usage: {
        input_tokens: 10,
        input_tokens_details: { cached_tokens: 8 },
        output_tokens: 3,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 13,
      },
    });
  });

  it('makes each tool call a function_call item, text before it closed first, arguments as deltas', () => {
    const stream = createResponseStream(shell());
    const events = [
      ...stream.push(chunk({ content: 'Looking.' })),
      ...stream.push(
        chunk({
          tool_calls: [
            {
              index: 0,
              id: 'call_a',
              type: 'function',
              function: { name: 'f', arguments: '{"a"' },
            },
          ],
        }),
      ),
      ...stream.push(chunk({ tool_calls: [{ index: 0, function: { arguments: ':1}' } }] })),
      ...stream.push(
        chunk(
          { tool_calls: [{ index: 1, id: 'call_b', function: { name: 'g', arguments: '{}' } }] },
          'tool_calls',
        ),
      ),
      ...stream.end(),
    ];
    expect(events.slice(2).map((e) => e.type)).toEqual([
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const last = events.at(-1);
    expect(last?.type === 'response.completed' && last.response.output).toMatchObject([
      { type: 'message' },
      {
        type: 'function_call',
        call_id: 'call_a',
        name: 'f',
        arguments: '{"a":1}',
        status: 'completed',
      },
      { type: 'function_call', call_id: 'call_b', name: 'g', arguments: '{}', status: 'completed' },
    ]);
  });

  it('ends an answer cut by its length as response.incomplete', () => {
    const stream = createResponseStream(shell());
    stream.push(chunk({ content: 'Hel' }, 'length'));
    const last = stream.end().at(-1);
    expect(last).toMatchObject({
      type: 'response.incomplete',
      response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } },
    });
  });

  it('ends a failed stream with response.failed, then the error event, as SSE named by type', () => {
    const stream = createResponseStream(shell());
    stream.push(chunk({ content: 'Hel' }));
    const error = { message: 'reset', type: 'server_error', param: null, code: 'upstream_error' };
    const events = stream.fail(error);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'response.failed',
        sequence_number: 5,
        response: expect.objectContaining({
          status: 'failed',
          error: { code: 'upstream_error', message: 'reset' },
        }),
      }),
      { type: 'error', code: 'upstream_error', message: 'reset', param: null, sequence_number: 6 },
    ]);
    const text = new TextDecoder().decode(encodeResponseEvents(events.slice(1)));
    expect(text).toBe(
      'event: error\ndata: {"type":"error","code":"upstream_error","message":"reset","param":null,"sequence_number":6}\n\n',
    );
  });
});
