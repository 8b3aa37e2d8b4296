import type { ProviderRequest } from '@switchback/router-core';
import { describe, expect, it } from 'vitest';
import { responsesBody } from './chat-to-responses.ts';

const base = { model: 'gpt-4.1', messages: [{ role: 'user' as const, content: 'hi' }] };

describe('a chat request as a Responses body', () => {
  it('keeps the conversation as input items, every role and part', () => {
    const request: ProviderRequest = {
      model: 'gpt-4.1',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: [{ type: 'text', text: 'Use metric.' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'low' } },
          ],
        },
        {
          role: 'assistant',
          content: 'Let me look.',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'look', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'a cat' },
      ],
    };
    expect(responsesBody(request, true)).toEqual({
      model: 'gpt-4.1',
      stream: true,
      store: false,
      input: [
        { type: 'message', role: 'system', content: 'Be brief.' },
        { type: 'message', role: 'developer', content: 'Use metric.' },
        {
          type: 'message',
          role: 'user',
          content: [
            { type: 'input_text', text: 'What is this?' },
            { type: 'input_image', image_url: 'https://example.com/a.png', detail: 'low' },
          ],
        },
        { type: 'message', role: 'assistant', content: 'Let me look.' },
        { type: 'function_call', call_id: 'call_1', name: 'look', arguments: '{}' },
        { type: 'function_call_output', call_id: 'call_1', output: 'a cat' },
      ],
    });
  });

  it.each([
    [
      'the completion limit',
      { max_completion_tokens: 64, max_tokens: 9 },
      { max_output_tokens: 64 },
    ],
    ['the legacy limit', { max_tokens: 9 }, { max_output_tokens: 9 }],
    [
      'a named tool choice',
      { tool_choice: { type: 'function', function: { name: 'f' } } },
      {
        tool_choice: { type: 'function', name: 'f' },
      },
    ],
    [
      'json mode',
      { response_format: { type: 'json_object' } },
      {
        text: { format: { type: 'json_object' } },
      },
    ],
    [
      'a JSON schema',
      {
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'answer', schema: { type: 'object' }, strict: true },
        },
      },
      {
        text: {
          format: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true },
        },
      },
    ],
    ['reasoning effort', { reasoning_effort: 'low' }, { reasoning: { effort: 'low' } }],
    [
      'sampling and cache key',
      { temperature: 0.2, top_p: 0.9, prompt_cache_key: 'k' },
      {
        temperature: 0.2,
        top_p: 0.9,
        prompt_cache_key: 'k',
      },
    ],
  ] as [string, Partial<ProviderRequest>, Record<string, unknown>][])(
    'maps %s',
    (_label, fields, expected) => {
      expect(responsesBody({ ...base, ...fields }, false)).toMatchObject(expected);
    },
  );

  it('sends function tools flat, not strict unless asked, logprobs as an include, and none of what it has no place for', () => {
    const body = responsesBody(
      {
        ...base,
        tools: [
          { type: 'function', function: { name: 'f', description: 'F.' } },
          {
            type: 'function',
            function: { name: 'g', parameters: { type: 'object' }, strict: true },
          },
        ],
        stop: ['\n'],
        seed: 1,
        logit_bias: { '1': 2 },
        presence_penalty: 1,
        logprobs: true,
        max_tokens: null,
      },
      false,
    );
    expect(body.tools).toEqual([
      {
        type: 'function',
        name: 'f',
        description: 'F.',
        parameters: { type: 'object', properties: {} },
        strict: false,
      },
      { type: 'function', name: 'g', parameters: { type: 'object' }, strict: true },
    ]);
    expect(Object.keys(body).sort()).toEqual([
      'include',
      'input',
      'model',
      'store',
      'stream',
      'tools',
      'top_logprobs',
    ]);
    expect([body.include, body.top_logprobs]).toEqual([['message.output_text.logprobs'], 0]);
  });
});
