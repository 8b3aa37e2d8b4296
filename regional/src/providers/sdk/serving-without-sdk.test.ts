import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../testing/harness.ts';
import { openAiSdk } from './sdks.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

describe('an openai provider with a key', () => {
  it('serves whole and streamed answers over its pool, never importing the openai SDK', async () => {
    const messages = [{ role: 'user' as const, content: 'hello' }];
    const { data, response } = await h.client.chat.completions
      .create({ model: 'smart', messages })
      .withResponse();
    expect(response.headers.get('x-router-provider')).toBe('openai');
    expect(data.choices[0]?.finish_reason).toBe('stop');
    const stream = await h.client.chat.completions.create({
      model: 'smart',
      messages,
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe(data.choices[0]?.message.content);
    expect(openAiSdk.loaded()).toBeUndefined();
  });
});
