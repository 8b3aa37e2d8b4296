import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk } from './chat-response.ts';
import { createStreamSummary } from './stream-summary.ts';

const chunk = (
  delta: ChatCompletionChunk['choices'][number]['delta'],
  finish: string | null = null,
) =>
  ({
    id: 'c',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm-2026',
    choices: [{ index: 0, delta, finish_reason: finish }],
  }) as ChatCompletionChunk;

describe('a streamed answer put back together', () => {
  it('joins text, and each tool call’s fragments by index, in index order', () => {
    const summary = createStreamSummary();
    for (const c of [
      chunk({ role: 'assistant', content: 'Let me ' }),
      chunk({ content: 'check.' }),
      chunk({
        tool_calls: [
          {
            index: 1,
            id: 'b',
            type: 'function',
            function: { name: 'send_email', arguments: '{"to"' },
          },
        ],
      }),
      chunk({
        tool_calls: [
          { index: 0, id: 'a', type: 'function', function: { name: 'lookup', arguments: '' } },
        ],
      }),
      chunk({
        tool_calls: [
          { index: 1, function: { arguments: ':"x"}' } },
          { index: 0, function: { arguments: '{}' } },
        ],
      }),
      chunk({}, 'tool_calls'),
      { ...chunk({}), choices: [] },
    ]) {
      summary.add(c);
    }
    const { model, choices } = summary.completion();
    expect(model).toBe('m-2026');
    expect(choices).toEqual([
      {
        index: 0,
        message: {
          role: 'assistant',
          content: 'Let me check.',
          tool_calls: [
            { id: 'a', type: 'function', function: { name: 'lookup', arguments: '{}' } },
            {
              id: 'b',
              type: 'function',
              function: { name: 'send_email', arguments: '{"to":"x"}' },
            },
          ],
        },
        finish_reason: 'tool_calls',
        logprobs: null,
      },
    ]);
  });
});
