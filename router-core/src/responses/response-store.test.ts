import { describe, expect, it } from 'vitest';
import { listPage } from './input-items.ts';
import { responseShell } from './response-object.ts';
import { createMemoryResponseStore } from './response-store.ts';
import { responsesRequestSchema } from './responses-request.ts';
import { keptResponse } from './stored-responses.ts';

const request = responsesRequestSchema.parse({
  model: 'auto',
  instructions: 'sys',
  input: [
    { role: 'user', content: 'weather?' },
    { type: 'function_call', call_id: 'c1', name: 'get_weather', arguments: '{}' },
    { type: 'function_call_output', call_id: 'c1', output: 'sun' },
  ],
});
const response = {
  ...responseShell(request, 'resp_1', 1),
  status: 'completed' as const,
  output: [
    {
      id: 'msg_1',
      type: 'message' as const,
      status: 'completed' as const,
      role: 'assistant' as const,
      content: [{ type: 'output_text' as const, text: 'Sunny.', annotations: [] as [] }],
    },
  ],
};

describe('stored responses', () => {
  it('keep the conversation without instructions, the input items with ids', () => {
    const kept = keptResponse({
      tenantId: 't',
      request,
      response,
      history: [{ role: 'user', content: 'before' }],
      ttlSeconds: 60,
      now: 1_000,
    });
    expect(kept.expiresAt).toBe(61_000);
    expect(kept.history).toEqual([
      { role: 'user', content: 'before' },
      { role: 'user', content: 'weather?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'sun' },
      { role: 'assistant', content: 'Sunny.' },
    ]);
    expect(kept.inputItems.map((item) => [item.type, item.id.split('_')[0]])).toEqual([
      ['message', 'msg'],
      ['function_call', 'fc'],
      ['function_call_output', 'fco'],
    ]);
  });

  it('are read back by their tenant only, until they expire', async () => {
    let now = 1_000;
    const store = createMemoryResponseStore(10, () => now);
    await store.put(
      keptResponse({ tenantId: 'a', request, response, history: [], ttlSeconds: 60, now }),
    );
    expect((await store.get('a', 'resp_1'))?.response.id).toBe('resp_1');
    expect(await store.get('b', 'resp_1')).toBeUndefined();
    expect(await store.delete('b', 'resp_1')).toBe(false);
    now = 61_000;
    expect(await store.get('a', 'resp_1')).toBeUndefined();
    expect(store.size()).toBe(0);
  });

  it('page a list as OpenAI does: newest first by default, limit and after', () => {
    const items = ['a', 'b', 'c'].map((id) => ({ id }));
    expect(listPage(items, new URLSearchParams())).toEqual({
      object: 'list',
      data: [{ id: 'c' }, { id: 'b' }, { id: 'a' }],
      first_id: 'c',
      last_id: 'a',
      has_more: false,
    });
    const page = listPage(items, new URLSearchParams('order=asc&limit=1&after=a'));
    expect(page).toMatchObject({ data: [{ id: 'b' }], has_more: true });
  });
});
