import { replyWords, simLogprobs, textTokens } from '@switchback/loadtests/sim';
import { BadRequestError } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness.ts';

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

const WORDS = 16;
const expected = (target: 'openai' | 'compat', model: string, text: string, top: number) =>
  simLogprobs(textTokens(replyWords(target, model, text, WORDS)), top);

const refusal = async (model: string, stream: boolean) => {
  try {
    await h.client.chat.completions.create({
      model,
      stream,
      logprobs: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
};

describe('logprobs', () => {
  it('returns OpenAI’s logprobs in the answer, exactly as the provider sent them', async () => {
    const completion = await h.client.chat.completions.create({
      model: 'smart',
      logprobs: true,
      top_logprobs: 2,
      messages: [{ role: 'user', content: 'Name a tree.' }],
    });
    expect(completion.choices[0]?.logprobs).toEqual({
      content: expected('openai', 'gpt-4.1', 'Name a tree.', 2),
      refusal: null,
    });
  });

  it('streams them chunk by chunk from vLLM', async () => {
    const stream = await h.client.chat.completions.create({
      model: 'qwen',
      stream: true,
      logprobs: true,
      messages: [{ role: 'user', content: 'Name a river.' }],
    });
    const streamed: unknown[] = [];
    for await (const chunk of stream) streamed.push(...(chunk.choices[0]?.logprobs?.content ?? []));
    expect(streamed).toEqual(expected('compat', 'Qwen/Qwen2.5-7B-Instruct', 'Name a river.', 0));
  });

  it('fails over past Bedrock, which cannot return them, to vLLM', async () => {
    await h.control.fault({ target: 'openai', kind: 'error', status: 500, count: 10 });
    const { data, response } = await h.client.chat.completions
      .create({
        model: 'smart',
        logprobs: true,
        messages: [{ role: 'user', content: 'Name a hill.' }],
      })
      .withResponse();
    expect(response.headers.get('x-router-model')).toBe('qwen');
    expect(data.choices[0]?.logprobs?.content).toEqual(
      expected('compat', 'Qwen/Qwen2.5-7B-Instruct', 'Name a hill.', 0),
    );
  });

  it.each([
    ['claude', 'anthropic.claude-sonnet-4-5-v1:0 on Bedrock', true],
    ['fast', '@cf/zai-org/glm-4.7-flash on Workers AI', false],
  ])(
    'refuses them with a 400 naming the parameter and the routed model (%s)',
    async (model, where, stream) => {
      const error = await refusal(model, stream);
      const routed = model === 'fast' ? 'glm' : model;
      expect(error).toBeInstanceOf(BadRequestError);
      expect((error as BadRequestError).error).toEqual({
        message: `'logprobs' is not supported by the routed model '${routed}' (${where}, which returns no log probabilities); name a model on OpenAI or an OpenAI-compatible server.`,
        type: 'invalid_request_error',
        param: 'logprobs',
        code: 'invalid_request_error',
      });
    },
  );
});
