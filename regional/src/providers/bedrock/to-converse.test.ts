import { UpstreamError } from '@switchback/router-core';
import { describe, expect, it } from 'vitest';
import { toConverse } from './to-converse.ts';

const PNG_1PX =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe('toConverse', () => {
  it('moves system and developer messages to `system`, merges consecutive tool results into one user turn', () => {
    const input = toConverse(
      'bedrock',
      {
        model: 'claude',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'developer', content: [{ type: 'text', text: 'Use metric units.' }] },
          { role: 'user', content: 'Weather in Paris and Rome?' },
          {
            role: 'assistant',
            content: 'Checking both.',
            tool_calls: [
              {
                id: 't1',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
              },
              {
                id: 't2',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"city":"Rome"}' },
              },
            ],
          },
          { role: 'tool', tool_call_id: 't1', content: 'sunny' },
          { role: 'tool', tool_call_id: 't2', content: 'rain' },
        ],
        temperature: 0.2,
        top_p: 0.9,
        max_completion_tokens: 100,
        stop: 'END',
      },
      undefined,
    );
    expect(input.system).toEqual([{ text: 'Be brief.' }, { text: 'Use metric units.' }]);
    expect(input.messages).toEqual([
      { role: 'user', content: [{ text: 'Weather in Paris and Rome?' }] },
      {
        role: 'assistant',
        content: [
          { text: 'Checking both.' },
          { toolUse: { toolUseId: 't1', name: 'get_weather', input: { city: 'Paris' } } },
          { toolUse: { toolUseId: 't2', name: 'get_weather', input: { city: 'Rome' } } },
        ],
      },
      {
        role: 'user',
        content: [
          { toolResult: { toolUseId: 't1', content: [{ text: 'sunny' }] } },
          { toolResult: { toolUseId: 't2', content: [{ text: 'rain' }] } },
        ],
      },
    ]);
    expect(input.inferenceConfig).toEqual({
      maxTokens: 100,
      temperature: 0.2,
      topP: 0.9,
      stopSequences: ['END'],
    });
  });

  it('turns image data URLs into bytes with their format', () => {
    const input = toConverse(
      'bedrock',
      {
        model: 'claude',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_1PX}` } },
            ],
          },
        ],
      },
      undefined,
    );
    const image = input.messages?.[0]?.content?.[1]?.image;
    expect(image?.format).toBe('png');
    expect(Buffer.from(image?.source?.bytes ?? new Uint8Array()).toString('base64')).toBe(PNG_1PX);
  });

  it('refuses image URLs it cannot send, as a failure another provider may not have', () => {
    const attempt = () =>
      toConverse(
        'bedrock',
        {
          model: 'claude',
          messages: [
            {
              role: 'user',
              content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }],
            },
          ],
        },
        undefined,
      );
    expect(attempt).toThrow(UpstreamError);
    expect(attempt).toThrow(/data URLs/);
  });

  it('puts a cachePoint after system and after tools when the prefix hint is long enough, not otherwise', () => {
    const request = {
      model: 'claude',
      messages: [
        { role: 'system' as const, content: 'Long instructions.' },
        { role: 'user' as const, content: 'Hi' },
      ],
      tools: [
        {
          type: 'function' as const,
          function: { name: 'lookup_order', parameters: { type: 'object' } },
        },
      ],
      tool_choice: 'required' as const,
    };
    const long = toConverse('bedrock', request, { key: 'k', messageCount: 1, tokens: 2048 });
    expect(long.system).toEqual([
      { text: 'Long instructions.' },
      { cachePoint: { type: 'default' } },
    ]);
    expect(long.toolConfig).toEqual({
      tools: [
        { toolSpec: { name: 'lookup_order', inputSchema: { json: { type: 'object' } } } },
        { cachePoint: { type: 'default' } },
      ],
      toolChoice: { any: {} },
    });
    const short = toConverse('bedrock', request, { key: 'k', messageCount: 1, tokens: 500 });
    expect(short.system).toEqual([{ text: 'Long instructions.' }]);
    expect(short.toolConfig?.tools).toHaveLength(1);
  });
});
