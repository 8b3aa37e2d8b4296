// Issue 17's acceptance lines that no other suite shows at a door, sent to both doors alike:
// text.format's JSON schema, images in the input, a Responses request served by Bedrock
// (through chat, then Converse), and background runs in the `batch` budget class.
import { env } from 'cloudflare:workers';
import { type KeptResponse, tenantScopedName } from '@switchback/router-core';
import { describe, expect, inject, it } from 'vitest';
import { callWorker, DEMO_KEY, type SimLogged, simRequests, uniqueText } from '../helpers.ts';
import { DOORS } from './doors.ts';

type ResponseBody = {
  id: string;
  status: string;
  model: string;
  output: { type: string; content?: { type: string; text: string }[] }[];
  text: { format: { type: string; name?: string } };
};

const textOf = (response: ResponseBody) =>
  response.output
    .flatMap((item) => item.content ?? [])
    .map((part) => part.text)
    .join('');

/** The simulator's logged request whose body holds `marker`; undefined when none does. */
const upstreamWith = async (marker: string): Promise<(SimLogged & { path: string }) | undefined> =>
  (await simRequests(200)).find((logged) => JSON.stringify(logged.body).includes(marker)) as
    | (SimLogged & { path: string })
    | undefined;

/** The body of the chat message that carried `marker`, as the provider got it. */
type ChatBody = { messages?: { role: string; content: unknown }[]; response_format?: unknown };

const ANSWER_SCHEMA = {
  type: 'object',
  properties: { reply: { type: 'string' } },
  required: ['reply'],
  additionalProperties: false,
};

/** Regional's `router_requests_total` samples for a workflow, summed over tier and outcome. */
const regionalRequests = async (workflow: string): Promise<number> => {
  const text = await (await fetch(`${inject('regionalUrl')}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('router_requests_total{') && line.includes(`workflow="${workflow}"`)) {
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return sum;
};

/** Polls `check` every 50 ms, 200 times at most; whether it came true. */
const eventually = async (check: () => Promise<boolean>): Promise<boolean> => {
  for (let i = 0; i < 200; i++) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
};

describe.each(DOORS)('Responses acceptance at the $name front door', (door) => {
  const create = (body: Record<string, unknown>) =>
    door.call({ key: DEMO_KEY, path: '/v1/responses', body });

  it('text.format json_schema goes upstream as response_format and the answer is that JSON', async () => {
    const marker = uniqueText('schema');
    const res = await create({
      model: 'auto',
      input: `Answer in JSON. ${marker}`,
      text: {
        format: { type: 'json_schema', name: 'answer', schema: ANSWER_SCHEMA, strict: true },
      },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as ResponseBody;
    expect(body.text.format).toMatchObject({ type: 'json_schema', name: 'answer' });
    expect(Object.keys(JSON.parse(textOf(body)) as object)).toEqual(['reply']);
    const upstream = (await upstreamWith(marker))?.body as ChatBody | undefined;
    expect(upstream?.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'answer', schema: ANSWER_SCHEMA, strict: true },
    });
  });

  it('an input_image goes upstream as the message’s image_url part', async () => {
    const marker = uniqueText('image');
    const image = `https://example.com/${marker.replaceAll(' ', '-')}.png`;
    const res = await create({
      model: 'auto',
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_text', text: `What is in this picture? ${marker}` },
            { type: 'input_image', image_url: image, detail: 'low' },
          ],
        },
      ],
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as ResponseBody).status).toBe('completed');
    const upstream = (await upstreamWith(marker))?.body as ChatBody | undefined;
    const user = upstream?.messages?.find((message) => message.role === 'user');
    expect(user?.content).toEqual([
      { type: 'text', text: `What is in this picture? ${marker}` },
      { type: 'image_url', image_url: { url: image, detail: 'low' } },
    ]);
  });

  it('a request for a Bedrock model is served by Bedrock’s Converse, whole and streamed', async () => {
    for (const stream of [false, true]) {
      const marker = uniqueText(`bedrock ${stream}`);
      const res = await create({ model: 'claude', input: `Say hello. ${marker}`, stream });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-router-provider')).toBe('bedrock');
      const upstream = await upstreamWith(marker);
      expect(upstream?.target).toBe('bedrock');
      expect(upstream?.path).toMatch(/\/converse(-stream)?$/);
      const text = await res.text();
      if (stream) {
        expect(text).toContain('event: response.completed');
        expect(text).toContain('event: response.output_text.delta');
      } else {
        const body = JSON.parse(text) as ResponseBody;
        expect(body.status).toBe('completed');
        expect(textOf(body)).toMatch(/\S/);
      }
    }
  });

  it('a background run on a regional model is served in the batch workflow', async () => {
    const before = await regionalRequests('batch');
    const res = await create({ model: 'qwen-vllm', input: uniqueText('batch'), background: true });
    const queued = (await res.json()) as ResponseBody;
    expect(queued.status).toBe('queued');
    const ended = async () => {
      const now = await door.call({ key: DEMO_KEY, path: `/v1/responses/${queued.id}` });
      return ((await now.json()) as ResponseBody).status === 'completed';
    };
    expect(await eventually(ended)).toBe(true);
    expect(await eventually(async () => (await regionalRequests('batch')) === before + 1)).toBe(
      true,
    );
  });
});

describe('stored responses at the edge', () => {
  it('are kept for the config’s responses.ttlSeconds (the example’s default, 30 days)', async () => {
    const ttlMs = 2_592_000 * 1000;
    const before = Date.now();
    const res = await callWorker({
      path: '/v1/responses',
      body: { model: 'auto', input: uniqueText('ttl') },
    });
    const after = Date.now();
    const { id } = (await res.json()) as ResponseBody;
    const stub = env.RESPONSES.getByName(tenantScopedName('demo', id));
    const kept = (await stub.get()) as KeptResponse | undefined;
    expect(kept?.expiresAt).toBeGreaterThanOrEqual(before + ttlMs);
    expect(kept?.expiresAt).toBeLessThanOrEqual(after + ttlMs);
  });
});
