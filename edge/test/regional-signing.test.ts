import { signEscalation } from '@switchback/router-core';
import { describe, expect, inject, it } from 'vitest';
import { SHORT } from './helpers.ts';

const PATH = '/v1/chat/completions';
const body = JSON.stringify({ model: 'auto', messages: SHORT });
const context = {
  tenantId: 'demo',
  requestId: 'signing-test',
  reasons: ['complex_prompt' as const],
};

const send = (headers: Record<string, string>) =>
  fetch(`${inject('regionalUrl')}${PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

const signed = (overrides: { timestamp?: number; nonce?: string } = {}) =>
  signEscalation(inject('hmacSecret'), { method: 'POST', path: PATH, body, context, ...overrides });

const expect401 = async (res: Response) => {
  expect(res.status).toBe(401);
  expect(await res.json()).toMatchObject({ error: { code: 'invalid_api_key' } });
};

describe('regional behind the edge', () => {
  it('serves a request the edge signed', async () => {
    expect((await send(await signed())).status).toBe(200);
  });

  it('rejects an unsigned request', async () => {
    await expect401(await send({}));
  });

  it('rejects a request signed with another secret', async () => {
    const forged = await signEscalation('not-the-secret', {
      method: 'POST',
      path: PATH,
      body,
      context,
    });
    await expect401(await send(forged));
  });

  it('rejects an expired signature', async () => {
    await expect401(await send(await signed({ timestamp: Date.now() - 5 * 60_000 })));
  });

  it('rejects a replayed request', async () => {
    const headers = await signed();
    expect((await send(headers)).status).toBe(200);
    await expect401(await send(headers));
  });
});
