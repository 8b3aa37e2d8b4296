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
