// The Responses API at both doors: the same request gets the same status, envelope, router
// headers and typed SSE event sequence at the edge and at regional's front door.
import { describe, expect, it } from 'vitest';
import { ACME_KEY, DEMO_KEY } from '../helpers.ts';
import { DOORS } from './doors.ts';

const SHORT = 'Say hello in one short sentence.';
const WEATHER = {
  type: 'function',
  name: 'get_weather',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

type Event = {
  event: string;
  data: { type: string; sequence_number: number } & Record<string, unknown>;
};

/** The named events of a Responses stream (`event:` line, then `data:`), in order. */
const responseEvents = async (res: Response): Promise<Event[]> =>
  (await res.text())
    .split('\n\n')
    .filter((block) => block !== '')
    .map((block) => {
      const [name, data] = block.split('\n');
      return {
        event: name?.replace(/^event: /, '') ?? '',
        data: JSON.parse(data?.replace(/^data: /, '') ?? 'null') as Event['data'],
      };
    });

/** The event sequence with the text deltas collapsed into one, for comparing doors. */
const shape = (events: Event[]) =>
  events.map((e) => e.event).filter((t, i, all) => !(t.endsWith('.delta') && all[i - 1] === t));

const responses = (door: (typeof DOORS)[number], body: unknown, key: string | null = DEMO_KEY) =>
  door.call({ key, body, path: '/v1/responses' });

describe.each(DOORS)('POST /v1/responses at the $name front door', (door) => {
  it('serves a short prompt on the edge tier as a Response object, with chat’s router headers', async () => {
    const res = await door.call({
      path: '/v1/responses',
      body: { model: 'auto', input: SHORT },
      headers: { 'x-request-id': 'responses-1' },
    });
    expect(res.status).toBe(200);
    expect({
      id: res.headers.get('x-request-id'),
      tier: res.headers.get('x-router-tier'),
      provider: res.headers.get('x-router-provider'),
      model: res.headers.get('x-router-model'),
      reasons: res.headers.get('x-router-reasons'),
      type: res.headers.get('content-type'),
    }).toEqual({
      id: 'responses-1',
      tier: 'edge',
      provider: 'workers-ai',
      model: 'glm-flash',
      reasons: 'simple_prompt',
      type: 'application/json',
    });
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      object: 'response',
      status: 'completed',
      error: null,
      output: [
        {
          type: 'message',
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text: expect.stringMatching(/\S/), annotations: [] }],
        },
      ],
      usage: {
        input_tokens: expect.any(Number),
        input_tokens_details: { cached_tokens: expect.any(Number) },
        output_tokens: expect.any(Number),
      },
    });
    expect(body.id).toMatch(/^resp_[0-9a-f]{32}$/);
  });

  it('streams the typed events, numbered in order, ending with response.completed and no [DONE]', async () => {
    const res = await responses(door, { model: 'auto', input: SHORT, stream: true });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('x-router-tier')).toBe('edge');
    const events = await responseEvents(res);
    expect(shape(events)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((e) => e.data.type)).toEqual(events.map((e) => e.event));
    expect(events.map((e) => e.data.sequence_number)).toEqual(events.map((_, i) => i));
    const text = events
      .filter((e) => e.event === 'response.output_text.delta')
      .map((e) => e.data.delta)
      .join('');
    expect(events.find((e) => e.event === 'response.output_text.done')?.data.text).toBe(text);
    expect(events.at(-1)?.data.response).toMatchObject({
      status: 'completed',
      usage: {
        output_tokens: expect.any(Number),
        input_tokens_details: { cached_tokens: expect.any(Number) },
      },
    });
  });

  it('answers a function tool with a function_call item', async () => {
    const res = await responses(door, {
      model: 'auto',
      input: 'What is the weather in Paris?',
      tools: [WEATHER],
      tool_choice: 'required',
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { output: Record<string, unknown>[] };
    expect(body.output.map((item) => item.type)).toEqual(['function_call']);
    expect(body.output[0]).toMatchObject({
      id: expect.stringMatching(/^fc_/),
      status: 'completed',
      call_id: expect.any(String),
      name: 'get_weather',
    });
    expect(JSON.parse(String(body.output[0]?.arguments))).toEqual({ city: expect.any(String) });
  });

  it('refuses as chat does: 401 before the body, 400 naming the Responses field, 403 for a tool the policy denies', async () => {
    const missing = await responses(door, { model: 'auto', input: 5 }, null);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe(
      'invalid_api_key',
    );

    const cases: [unknown, string, string][] = [
      [{ model: 'auto', input: 5 }, "Invalid type for 'input': expected string or array.", 'input'],
      [
        { model: 'auto', input: [{ role: 'user', content: 'hi', extra: 1 }] },
        'Unrecognized request argument supplied: extra',
        'input[0].extra',
      ],
      [
        { model: 'auto', input: SHORT, tools: [{ type: 'web_search' }] },
        expect.stringContaining("Invalid value for 'tools[0].type'"),
        'tools[0].type',
      ],
    ];
    for (const [body, message, param] of cases) {
      const res = await responses(door, body);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: { message, type: 'invalid_request_error', param, code: 'invalid_request_error' },
      });
    }

    const denied = await responses(
      door,
      { model: 'auto', input: SHORT, tools: [{ ...WEATHER, name: 'delete_everything' }] },
      ACME_KEY,
    );
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { error: { code: string } }).error.code).toBe('policy_denied');
  });
});

describe.each(DOORS)('stored responses at the $name front door', (door) => {
  const call = (method: string, path: string, key: string = DEMO_KEY) =>
    door.call({ key, method, path });

  it('stores by default: GET answers it, input_items lists it, another tenant gets 404, DELETE removes it', async () => {
    const created = (await (
      await responses(door, { model: 'auto', input: SHORT, metadata: { door: door.name } })
    ).json()) as { id: string; store: boolean };
    expect(created.store).toBe(true);
    const read = await call('GET', `/v1/responses/${created.id}`);
    expect(read.status).toBe(200);
    expect(read.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
    expect(await read.json()).toEqual(created);
    const items = await call('GET', `/v1/responses/${created.id}/input_items`);
    expect(await items.json()).toEqual({
      object: 'list',
      data: [
        {
          id: expect.stringMatching(/^msg_/),
          type: 'message',
          role: 'user',
          status: 'completed',
          content: [{ type: 'input_text', text: SHORT }],
        },
      ],
      first_id: expect.stringMatching(/^msg_/),
      last_id: expect.stringMatching(/^msg_/),
      has_more: false,
    });
    const notFound = {
      error: {
        message: `Response with id '${created.id}' not found.`,
        type: 'invalid_request_error',
        param: null,
        code: 'not_found',
      },
    };
    for (const [method, path] of [
      ['GET', `/v1/responses/${created.id}`],
      ['GET', `/v1/responses/${created.id}/input_items`],
      ['DELETE', `/v1/responses/${created.id}`],
    ] as const) {
      const other = await call(method, path, ACME_KEY);
      expect(other.status).toBe(404);
      expect(await other.json()).toEqual(notFound);
    }
    const continued = await responses(
      door,
      { model: 'auto', input: SHORT, previous_response_id: created.id },
      ACME_KEY,
    );
    expect(continued.status).toBe(404);
    const deleted = await call('DELETE', `/v1/responses/${created.id}`);
    expect(await deleted.json()).toEqual({ id: created.id, object: 'response', deleted: true });
    const gone = await call('GET', `/v1/responses/${created.id}`);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toEqual(notFound);
  });

  it('continues a stored streamed response with previous_response_id, and store: false stores nothing', async () => {
    const events = await responseEvents(
      await responses(door, { model: 'auto', input: SHORT, stream: true }),
    );
    const first = events.at(-1)?.data.response as { id: string; store: boolean };
    expect(first.store).toBe(true);
    const next = await responses(door, {
      model: 'auto',
      input: 'And once more.',
      previous_response_id: first.id,
      store: false,
    });
    expect(next.status).toBe(200);
    const second = (await next.json()) as {
      id: string;
      store: boolean;
      previous_response_id: string;
    };
    expect(second).toMatchObject({ store: false, previous_response_id: first.id });
    expect((await call('GET', `/v1/responses/${second.id}`)).status).toBe(404);
  });
});

describe('the Responses API at both doors alike', () => {
  it('answers the same event sequence and the same refusals', async () => {
    const streamed = await Promise.all(
      DOORS.map((door) =>
        responses(door, { model: 'auto', input: SHORT, stream: true })
          .then(responseEvents)
          .then(shape),
      ),
    );
    expect(streamed[1]).toEqual(streamed[0]);
    const refusals = await Promise.all(
      DOORS.map(async (door) => {
        const res = await responses(door, {
          model: 'auto',
          input: [{ type: 'reasoning', id: 'r' }],
        });
        return { status: res.status, body: await res.json() };
      }),
    );
    expect(refusals[1]).toEqual(refusals[0]);
    expect(refusals[0]?.status).toBe(400);
  });

  it('queues background: true at both doors: queued at once, the same shell', async () => {
    const answers = await Promise.all(
      DOORS.map(async (door) => {
        const res = await responses(door, {
          model: 'auto',
          input: SHORT,
          background: true,
          max_output_tokens: 16,
        });
        const body = (await res.json()) as Record<string, unknown>;
        return { status: res.status, body: { ...body, id: typeof body.id, created_at: 0 } };
      }),
    );
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[0]).toMatchObject({
      status: 200,
      body: { status: 'queued', background: true, output: [], usage: null },
    });
  });
});
