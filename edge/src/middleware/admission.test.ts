import { describe, expect, it } from 'vitest';
import { appWith, configWith, SHORT } from '../../test/helpers.ts';

const call = appWith(
  configWith((c) => {
    c.limits = { maxBodyBytes: 2048, maxMessages: 3 };
  }),
);

const errorOf = async (res: Response) => ((await res.json()) as { error: unknown }).error;

describe('admission', () => {
  it('refuses a body over the configured limit with 413', async () => {
    const res = await call({
      body: { model: 'auto', messages: [{ role: 'user', content: 'x'.repeat(4096) }] },
    });
    expect(res.status).toBe(413);
    expect(await errorOf(res)).toMatchObject({
      code: 'payload_too_large',
      message: expect.stringContaining('2048 bytes'),
    });
  });

  it('says why a body is not JSON', async () => {
    const res = await call({ body: '{"model": "auto", "messages": [' });
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({
      type: 'invalid_request_error',
      message: expect.stringMatching(/^We could not parse the JSON body of your request: .+/),
      param: null,
    });
  });

  it('refuses more messages than the config allows, naming messages', async () => {
    const messages = Array.from({ length: 4 }, () => ({ role: 'user', content: 'hi' }));
    const res = await call({ body: { model: 'auto', messages } });
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({
      param: 'messages',
      message: 'Too many messages: 4, at most 3 are allowed.',
    });
  });

  it('names the invalid field as OpenAI’s param', async () => {
    const wrongType = await call({
      body: { model: 'auto', messages: [{ role: 'user', content: 42 }] },
    });
    expect(wrongType.status).toBe(400);
    expect(await errorOf(wrongType)).toEqual({
      message: "Invalid type for 'messages[0].content': expected string or array.",
      type: 'invalid_request_error',
      param: 'messages[0].content',
      code: 'invalid_request_error',
    });
    const badRole = await call({
      body: { model: 'auto', messages: [{ role: 'robot', content: 'hi' }] },
    });
    expect(await errorOf(badRole)).toMatchObject({ param: 'messages[0].role' });
    const missing = await call({ body: { messages: SHORT } });
    expect(await errorOf(missing)).toMatchObject({
      param: 'model',
      message: "Missing required parameter: 'model'.",
    });
    const unknown = await call({ body: { model: 'auto', messages: SHORT, temprature: 1 } });
    expect(await errorOf(unknown)).toMatchObject({
      param: 'temprature',
      message: 'Unrecognized request argument supplied: temprature',
    });
  });

  it('refuses a malformed x-workflow', async () => {
    const res = await call({
      body: { model: 'auto', messages: SHORT },
      headers: { 'x-workflow': 'Not A Workflow!' },
    });
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({
      code: 'invalid_request_error',
      message: expect.stringContaining('x-workflow'),
    });
  });
});
