import { describe, expect, it } from 'vitest';
import { callWorker, DEMO_KEY, REVOKED_KEY, SHORT } from '../../test/helpers.ts';

const chat = (headers: Record<string, string>) =>
  callWorker({ key: null, headers, body: { model: 'auto', messages: SHORT } });

const expect401 = async (res: Response, message: RegExp) => {
  expect(res.status).toBe(401);
  expect(res.headers.get('x-request-id')).toMatch(/\S/);
  expect(await res.json()).toEqual({
    error: {
      message: expect.stringMatching(message),
      type: 'invalid_request_error',
      param: null,
      code: 'invalid_api_key',
    },
  });
};

describe('auth', () => {
  it('refuses a request without a key', async () => {
    await expect401(await chat({}), /did not provide an API key/);
  });

  it('refuses a malformed authorization header', async () => {
    await expect401(await chat({ authorization: `Basic ${btoa('user:pass')}` }), /malformed/);
    await expect401(await chat({ authorization: 'Bearer' }), /malformed/);
  });

  it('refuses an unknown key without echoing it', async () => {
    const res = await chat({ authorization: 'Bearer sk-not-a-real-key' });
    const text = await res.clone().text();
    expect(text).not.toContain('sk-not-a-real-key');
    await expect401(res, /^Incorrect API key provided\.$/);
  });

  it('refuses a revoked key', async () => {
    await expect401(await chat({ authorization: `Bearer ${REVOKED_KEY}` }), /revoked/);
  });

  it('lets a valid key through to the tenant’s models', async () => {
    const res = await callWorker({ key: DEMO_KEY, path: '/v1/models' });
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: { id: string }[] };
    expect(data.map((m) => m.id)).toEqual(['auto', 'fast', 'smart', 'kimi']);
  });
});
