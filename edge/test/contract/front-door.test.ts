// One suite, both doors (as hono runs one suite over its runtimes): the same request gets the
// same status, envelope, headers and SSE events at the edge and at regional's front door.
import { describe, expect, it } from 'vitest';
import { ACME_KEY, DEMO_KEY, REVOKED_KEY, SHORT, sseEvents } from '../helpers.ts';
import { DOORS } from './doors.ts';

const envelope = async (res: Response) => (await res.json()) as { error: Record<string, unknown> };

const refusal = (code: string, message: string, param: string | null = null) => ({
  error: { message, type: 'invalid_request_error', param, code },
});

describe.each(DOORS)('the $name front door', (door) => {
  const chat = (
    body: unknown,
    headers: Record<string, string> = {},
    key: string | null = DEMO_KEY,
  ) => door.call({ key, headers, body });

  it('answers an unknown route 404 not_found in OpenAI’s envelope', async () => {
    const res = await door.call({ path: '/v1/nope' });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual(refusal('not_found', 'Unknown route: GET /v1/nope.'));
    const outside = await door.call({ key: null, path: '/nope', method: 'POST', body: {} });
    expect(outside.status).toBe(404);
    expect(await outside.json()).toEqual(refusal('not_found', 'Unknown route: POST /nope.'));
  });

  it('refuses a missing, malformed, unknown or revoked key with 401 saying which', async () => {
    const body = { model: 'auto', messages: SHORT };
    const cases: [Record<string, string>, string][] = [
      [
        {},
        'You did not provide an API key. Send it as a bearer token: "Authorization: Bearer <key>".',
      ],
      [
        { authorization: 'Basic dXNlcjpwYXNz' },
        'The Authorization header is malformed; expected "Bearer <key>".',
      ],
      [
        { authorization: `bearer ${DEMO_KEY}` },
        'The Authorization header is malformed; expected "Bearer <key>".',
      ],
      [{ authorization: 'Bearer sk-not-a-real-key' }, 'Incorrect API key provided.'],
      [{ authorization: `Bearer ${REVOKED_KEY}` }, 'This API key has been revoked.'],
    ];
    for (const [headers, message] of cases) {
      const res = await chat(body, headers, null);
      expect(res.status).toBe(401);
      expect(res.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
      const text = await res.text();
      expect(text).not.toContain('sk-not-a-real-key');
      expect(JSON.parse(text)).toEqual(refusal('invalid_api_key', message));
    }
  });

  it('says why a body is not JSON or not an object', async () => {
    const broken = await chat('{"model": "auto", "messages": [');
    expect(broken.status).toBe(400);
    expect((await envelope(broken)).error).toMatchObject({
      type: 'invalid_request_error',
      code: 'invalid_request_error',
      param: null,
      message: expect.stringMatching(/^We could not parse the JSON body of your request: .+/),
    });
    const list = await chat('[]');
    expect(await list.json()).toEqual(
      refusal('invalid_request_error', 'The request body must be a JSON object.'),
    );
  });

  it('names the invalid field as OpenAI’s param, in OpenAI’s words', async () => {
    const cases: [unknown, string, string][] = [
      [
        { model: 'auto', messages: [{ role: 'user', content: 42 }] },
        "Invalid type for 'messages[0].content': expected string or array.",
        'messages[0].content',
      ],
      [{ messages: SHORT }, "Missing required parameter: 'model'.", 'model'],
      [
        { model: 'auto', messages: SHORT, temprature: 1 },
        'Unrecognized request argument supplied: temprature',
        'temprature',
      ],
      [
        { model: 'auto', messages: Array.from({ length: 513 }, () => SHORT[0]) },
        'Too many messages: 513, at most 512 are allowed.',
        'messages',
      ],
    ];
    for (const [body, message, param] of cases) {
      const res = await chat(body);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual(refusal('invalid_request_error', message, param));
    }
  });

  it('refuses a body over the limit with 413 before reading it', async () => {
    const res = await chat({
      model: 'auto',
      messages: [{ role: 'user', content: 'x'.repeat(1_048_576) }],
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual(
      refusal('payload_too_large', 'The request body exceeds the limit of 1048576 bytes.'),
    );
  });

  it('lists the tenant’s models in OpenAI’s shape', async () => {
    const res = await door.call({ path: '/v1/models' });
    expect(res.status).toBe(200);
    const list = (await res.json()) as { object: string; data: { id: string; object: string }[] };
    expect(list.object).toBe('list');
    expect(list.data.map((m) => m.id)).toEqual([
      'auto',
      'fast',
      'smart',
      'kimi',
      'glm-flash',
      'llama-fast',
      'gpt',
      'qwen-vllm',
      'claude',
    ]);
    // A tenant limited by its policy sees only what it may send.
    const acme = await door.call({ key: ACME_KEY, path: '/v1/models' });
    expect(await acme.json()).toEqual({
      object: 'list',
      data: ['auto', 'fast', 'smart'].map((id) => ({
        id,
        object: 'model',
        created: 1_767_225_600,
        owned_by: 'switchback',
      })),
    });
  });

  it('mints a req_ id when the client sends none', async () => {
    const res = await chat({ model: 'auto', messages: SHORT });
    expect(res.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
    await res.body?.cancel();
  });

  it('echoes a sane x-request-id and routes a short prompt to the edge tier', async () => {
    const res = await chat({ model: 'auto', messages: SHORT }, { 'x-request-id': 'contract-1' });
    expect(res.status).toBe(200);
    expect({
      id: res.headers.get('x-request-id'),
      tier: res.headers.get('x-router-tier'),
      provider: res.headers.get('x-router-provider'),
      model: res.headers.get('x-router-model'),
      reasons: res.headers.get('x-router-reasons'),
      type: res.headers.get('content-type'),
    }).toEqual({
      id: 'contract-1',
      tier: 'edge',
      provider: 'workers-ai',
      model: 'glm-flash',
      reasons: 'simple_prompt',
      type: 'application/json',
    });
    expect(res.headers.get('server-timing')).toMatch(
      /^policy;dur=[\d.]+, classify;dur=[\d.]+, ttft;dur=[\d.]+, total;dur=[\d.]+$/,
    );
    const completion = (await res.json()) as { object: string; choices: unknown[] };
    expect(completion.object).toBe('chat.completion');
  });

  it('streams with usage: null on every content chunk, the totals last, then [DONE]', async () => {
    const res = await chat({
      model: 'auto',
      messages: SHORT,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    // Headers go out at the first token: a ttft entry, no total yet.
    expect(res.headers.get('server-timing')).toMatch(/ttft;dur=[\d.]+$/);
    const events = await sseEvents(res);
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1) as { choices: unknown[]; usage: unknown }[];
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({ completion_tokens: expect.any(Number) });
    for (const chunk of chunks.slice(0, -1)) {
      expect(chunk.choices.length).toBeGreaterThan(0);
      expect(chunk.usage).toBeNull();
    }
  });

  it('streams without any usage when the client did not ask for it', async () => {
    const res = await chat({ model: 'auto', messages: SHORT, stream: true });
    const events = await sseEvents(res);
    expect(events.at(-1)).toBe('[DONE]');
    for (const chunk of events.slice(0, -1) as Record<string, unknown>[]) {
      expect(chunk).not.toHaveProperty('usage');
      expect(chunk.choices).not.toEqual([]);
    }
  });
});

describe('both doors alike', () => {
  /**
   * A streamed answer's framing: every event a `data:` line and a blank line, and each chunk's
   * fields in order. What is in the chunks is the upstream's (the edge reads the AI binding,
   * regional the REST API), so only the writer's part is compared.
   */
  const framing = async (res: Response) => {
    const text = await res.text();
    const events = text.split('\n\n');
    return {
      trailer: events.at(-1),
      lines: [...new Set(events.slice(0, -1).map((e) => (e.startsWith('data: ') ? 'data' : e)))],
      shapes: [
        ...new Set(
          events
            .slice(0, -2)
            .map((e) => JSON.parse(e.slice(6)) as Record<string, unknown>)
            .map(
              (c) =>
                `${Object.keys(c).join(',')}|${Array.isArray(c.choices) && c.choices.length === 0 ? 'totals' : 'content'}|${JSON.stringify(c.usage ?? 'absent').startsWith('{') ? 'usage' : String(c.usage ?? 'absent')}`,
            ),
        ),
      ],
      done: events.at(-2),
    };
  };

  it.each([true, false])(
    'frame a streamed answer alike (include_usage %s)',
    async (includeUsage) => {
      const body = {
        model: 'auto',
        messages: SHORT,
        stream: true,
        ...(includeUsage ? { stream_options: { include_usage: true } } : {}),
      };
      const [edge, regional] = await Promise.all(
        DOORS.map((door) => door.call({ key: DEMO_KEY, body }).then(framing)),
      );
      expect(regional).toEqual(edge);
      expect(edge?.done).toBe('data: [DONE]');
      expect(edge?.trailer).toBe('');
    },
  );
});
