import { describe, expect, it } from 'vitest';
import { callWorker, sseEvents } from './helpers.ts';

type Entry = { token: string; logprob: number; bytes: number[]; top_logprobs: unknown[] };

describe('logprobs at the edge door', () => {
  it('refuses them on Workers AI with the 400 regional gives, naming the routed model', async () => {
    for (const model of ['fast', 'auto']) {
      const res = await callWorker({
        body: { model, logprobs: true, messages: [{ role: 'user', content: 'hi' }] },
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: {
          message:
            "'logprobs' is not supported by the routed model 'glm-flash' (@cf/zai-org/glm-4.7-flash on Workers AI, which returns no log probabilities); name a model on OpenAI or an OpenAI-compatible server.",
          type: 'invalid_request_error',
          param: 'logprobs',
          code: 'invalid_request_error',
        },
      });
    }
  });

  it('escalates them to OpenAI and returns the provider’s logprobs, streaming and not', async () => {
    const res = await callWorker({
      body: {
        model: 'smart',
        logprobs: true,
        top_logprobs: 1,
        messages: [{ role: 'user', content: 'Name a tree.' }],
      },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-router-model')).toBe('gpt');
    const body = (await res.json()) as {
      choices: { message: { content: string }; logprobs: { content: Entry[]; refusal: null } }[];
    };
    const [choice] = body.choices;
    expect(choice?.logprobs.refusal).toBeNull();
    expect(choice?.logprobs.content.map((e) => e.token).join('')).toBe(choice?.message.content);
    for (const entry of choice?.logprobs.content ?? []) {
      expect(entry.bytes).toEqual([...new TextEncoder().encode(entry.token)]);
      expect(entry.top_logprobs).toEqual([
        { token: entry.token, logprob: entry.logprob, bytes: entry.bytes },
      ]);
    }

    const streamed = await callWorker({
      body: {
        model: 'smart',
        stream: true,
        logprobs: true,
        messages: [{ role: 'user', content: 'Name a tree.' }],
      },
    });
    const chunks = (await sseEvents(streamed)).filter((e) => e !== '[DONE]') as {
      choices: { logprobs?: { content: Entry[] } | null }[];
    }[];
    const tokens = chunks.flatMap((c) => c.choices[0]?.logprobs?.content ?? []).map((e) => e.token);
    expect(tokens.join('')).toBe(choice?.message.content);
  });
});
