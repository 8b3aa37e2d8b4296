import { describe, expect, it } from 'vitest';
import { responsesRequestSchema } from './responses-request.ts';
import { toChatRequest } from './to-chat-request.ts';

const chatOf = (body: Record<string, unknown>, history = []) =>
  toChatRequest(responsesRequestSchema.parse({ model: 'auto', ...body }), history);

describe('a Responses request as the chat request it is served as', () => {
  it('takes a string input as one user message, instructions as the system message first', () => {
    expect(chatOf({ input: 'hi', instructions: 'Be brief.' })).toEqual({
      model: 'auto',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hi' },
      ],
    });
  });

  it('maps message items, images, an earlier output and function calls with their outputs', () => {
    const chat = chatOf({
      input: [
        { role: 'developer', content: [{ type: 'input_text', text: 'Use tools.' }] },
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'What is this?' },
            { type: 'input_image', image_url: 'https://x/cat.png', detail: 'low' },
          ],
        },
        {
          type: 'message',
          id: 'msg_1',
          status: 'completed',
          role: 'assistant',
          content: [{ type: 'output_text', text: 'A cat.', annotations: [] }],
        },
        { type: 'function_call', call_id: 'c1', name: 'get_weather', arguments: '{"city":"a"}' },
        { type: 'function_call', call_id: 'c2', name: 'get_weather', arguments: '{"city":"b"}' },
        { type: 'function_call_output', call_id: 'c1', output: 'sun' },
        {
          type: 'function_call_output',
          call_id: 'c2',
          output: [{ type: 'input_text', text: 'rain' }],
        },
        { type: 'function_call', call_id: 'c3', name: 'lookup', arguments: '{}' },
      ],
    });
    expect(chat.messages).toEqual([
      { role: 'developer', content: 'Use tools.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'https://x/cat.png', detail: 'low' } },
        ],
      },
      {
        role: 'assistant',
        content: 'A cat.',
        tool_calls: [
          {
            id: 'c1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"a"}' },
          },
          {
            id: 'c2',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"b"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'sun' },
      { role: 'tool', tool_call_id: 'c2', content: 'rain' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'c3', type: 'function', function: { name: 'lookup', arguments: '{}' } }],
      },
    ]);
  });

  it('maps tools, tool_choice, text.format, limits and sampling to their chat names', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    expect(
      chatOf({
        input: 'hi',
        stream: true,
        tools: [
          { type: 'function', name: 'f', description: 'd', parameters: schema, strict: true },
        ],
        tool_choice: { type: 'function', name: 'f' },
        parallel_tool_calls: false,
        text: { format: { type: 'json_schema', name: 'out', schema, strict: true } },
        max_output_tokens: 64,
        temperature: 0.5,
        top_p: 0.9,
        top_logprobs: 2,
        reasoning: { effort: 'low' },
        user: 'u1',
        prompt_cache_key: 'k',
        metadata: { a: 'b' },
        store: false,
      }),
    ).toEqual({
      model: 'auto',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
      tools: [
        {
          type: 'function',
          function: { name: 'f', description: 'd', parameters: schema, strict: true },
        },
      ],
      tool_choice: { type: 'function', function: { name: 'f' } },
      parallel_tool_calls: false,
      response_format: { type: 'json_schema', json_schema: { name: 'out', schema, strict: true } },
      max_completion_tokens: 64,
      temperature: 0.5,
      top_p: 0.9,
      logprobs: true,
      top_logprobs: 2,
      reasoning_effort: 'low',
      user: 'u1',
      prompt_cache_key: 'k',
    });
  });

  it('puts what a previous response carries between the instructions and the new input', () => {
    const history = [
      { role: 'user' as const, content: 'first' },
      { role: 'assistant' as const, content: 'one' },
    ];
    expect(chatOf({ input: 'second', instructions: 'sys' }, history as never).messages).toEqual([
      { role: 'system', content: 'sys' },
      ...history,
      { role: 'user', content: 'second' },
    ]);
  });
});
