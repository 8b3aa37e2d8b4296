import type { ChatCompletionChunk } from '@switchback/router-core';
import { describe, expect, it } from 'vitest';
import { createCompletionAssembler } from './completion-assembler.ts';

const chunk = (
  delta: ChatCompletionChunk['choices'][number]['delta'],
  finish: ChatCompletionChunk['choices'][number]['finish_reason'] = null,
): ChatCompletionChunk => ({
  id: 'c1',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'm',
  choices: [{ index: 0, delta, finish_reason: finish }],
});

describe('createCompletionAssembler', () => {
  it('folds text, reasoning, tool-call fragments and usage into one completion', () => {
    const assembler = createCompletionAssembler();
    assembler.add(chunk({ role: 'assistant', content: '' }));
    assembler.add(chunk({ reasoning_content: 'Thinking' }));
    assembler.add(chunk({ content: 'Let me check.' }));
    assembler.add(
      chunk({
        tool_calls: [
          {
            index: 0,
            id: 'call_1',
            type: 'function',
            function: { name: 'get_weather', arguments: '' },
          },
        ],
      }),
    );
    assembler.add(
      chunk({
        tool_calls: [
          {
            index: 1,
            id: 'call_2',
            type: 'function',
            function: { name: 'lookup_order', arguments: '{"id"' },
          },
        ],
      }),
    );
    assembler.add(chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }));
    assembler.add(chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }));
    assembler.add(chunk({ tool_calls: [{ index: 1, function: { arguments: ':7}' } }] }));
    assembler.add(chunk({}, 'tool_calls'));
    assembler.add({
      ...chunk({}),
      choices: [],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    });
    expect(assembler.result()).toEqual({
      id: 'c1',
      object: 'chat.completion',
      created: 1,
      model: 'm',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'Let me check.',
            reasoning_content: 'Thinking',
            tool_calls: [
              {
                id: 'call_1',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
              },
              {
                id: 'call_2',
                type: 'function',
                function: { name: 'lookup_order', arguments: '{"id":7}' },
              },
            ],
          },
          finish_reason: 'tool_calls',
          logprobs: null,
        },
      ],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    });
  });
});
