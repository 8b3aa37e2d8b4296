import { describe, expect, it } from 'vitest';
import { appWith, configWith, sha256Hex } from '../../test/helpers.ts';

// A Workflow binding that refuses every create (the service down), and finds no instance.
const refusing = {
  create: async () => {
    throw new Error('workflows unavailable');
  },
  get: async () => {
    throw new Error('instance.not_found');
  },
} as unknown as Env['BACKGROUND'];

describe('queueing a background response on the Workflow', () => {
  it('a create the Workflow refuses is a 503 with retry-after, and leaves no response queued forever', async () => {
    const call = appWith(configWith(), { BACKGROUND: refusing });
    const key = crypto.randomUUID();
    const id = `resp_${(await sha256Hex(`demo\u0000${key}`)).slice(0, 32)}`;
    const res = await call({
      path: '/v1/responses',
      headers: { 'idempotency-key': key },
      body: { model: 'auto', input: 'Say hello.', background: true },
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
      'upstream_unavailable',
    );
    expect((await call({ path: `/v1/responses/${id}` })).status).toBe(404);
  });
});
