import { type EscalationContext, MAX_CLOCK_SKEW_MS, signEscalation } from '@switchback/router-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../testing/harness.ts';

const SECRET = 'test-shared-secret';
const PATH = '/v1/chat/completions';
const body = JSON.stringify({
  model: 'auto',
  messages: [{ role: 'user', content: 'escalated hello' }],
});
const context: EscalationContext = {
  tenantId: 'demo',
  requestId: 'req_edge_1',
  affinityKey: 'a'.repeat(64),
  prefix: { key: 'prefix-key-1', messageCount: 1, tokens: 1200 },
  reasons: ['complex_prompt', 'code_task'],
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ hmacSecret: SECRET });
});
afterAll(async () => {
  await h.close();
});

const post = (headers: Record<string, string>, payload = body) =>
  fetch(`${h.server.url}${PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: payload,
  });

const signed = (overrides: { timestamp?: number; context?: EscalationContext } = {}) =>
  signEscalation(SECRET, {
    method: 'POST',
    path: PATH,
    body,
    context: overrides.context ?? context,
    ...(overrides.timestamp === undefined ? {} : { timestamp: overrides.timestamp }),
  });

const expect401 = async (response: Response, message: RegExp) => {
  expect(response.status).toBe(401);
  const envelope = (await response.json()) as { error: Record<string, unknown> };
  expect(envelope.error).toMatchObject({
    type: 'invalid_request_error',
    code: 'invalid_api_key',
    param: null,
  });
  expect(envelope.error.message).toMatch(message);
};

describe('escalations from the edge', () => {
  it('a validly signed request is served on the regional tier with the edge’s reasons and prefix hint', async () => {
    const response = await post(await signed());
    expect(response.status).toBe(200);
    expect(response.headers.get('x-router-tier')).toBe('regional');
    expect(response.headers.get('x-router-provider')).toBe('openai');
    expect(response.headers.get('x-router-reasons')).toBe('complex_prompt,code_task');
    const completion = (await response.json()) as { choices: { message: { content: string } }[] };
    expect(completion.choices[0]?.message.content).toMatch(/\w+/);
    // The edge's prefix hint became OpenAI's prompt_cache_key.
    const { requests } = (await (await fetch(`${h.sim.url}/_sim/requests?limit=1`)).json()) as {
      requests: { body: { prompt_cache_key?: string } }[];
    };
    expect(requests[0]?.body.prompt_cache_key).toBe('prefix-key-1');
  });

  it('an unsigned request carrying the context header is refused', async () => {
    const headers = await signed();
    await expect401(
      await post({ 'x-switchback-context': headers['x-switchback-context'] }),
      /not validly signed \(missing_headers\)/,
    );
  });

  it('an expired request (timestamp over a minute old) is refused', async () => {
    const headers = await signed({ timestamp: Date.now() - MAX_CLOCK_SKEW_MS - 5_000 });
    await expect401(await post(headers), /not validly signed \(stale_timestamp\)/);
  });

  it('a replayed request (same nonce) is refused the second time', async () => {
    const headers = await signed();
    expect((await post(headers)).status).toBe(200);
    await expect401(await post(headers), /replayed/);
  });

  it('a tampered body or context is refused', async () => {
    const headers = await signed();
    await expect401(await post(headers, body.replace('hello', 'HELLO')), /bad_signature/);
    const other = await signed({ context: { ...context, tenantId: 'other' } });
    await expect401(
      await post({ ...headers, 'x-switchback-context': other['x-switchback-context'] }),
      /bad_signature/,
    );
  });

  it('a signed request for an unknown tenant is refused', async () => {
    await expect401(
      await post(await signed({ context: { ...context, tenantId: 'ghost' } })),
      /unknown tenant/,
    );
  });

  it('a service without the shared secret refuses every escalation', async () => {
    const plain = await startHarness();
    try {
      const response = await fetch(`${plain.server.url}${PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await signed()) },
        body,
      });
      await expect401(response, /SWITCHBACK_HMAC_SECRET is not set/);
    } finally {
      await plain.close();
    }
  });
});
