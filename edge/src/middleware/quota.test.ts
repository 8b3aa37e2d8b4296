import { describe, expect, it } from 'vitest';
import { appWith, configWith, SHORT, sha256Hex } from '../../test/helpers.ts';

/** An app whose tenant `id` (key `sk-test-<id>`) may send `requestsPerMinute` requests. */
const tenantWithLimit = async (id: string, requestsPerMinute: number) => {
  const key = `sk-test-${id}`;
  const sha256 = await sha256Hex(key);
  const call = appWith(
    configWith((c) => {
      c.quotas = { ...c.quotas, [id]: { requestsPerMinute, tokensPerMinute: 1_000_000 } };
      c.tenants.push({ id, class: id, keys: [{ id: `${id}-1`, sha256 }] });
    }),
  );
  return (headers: Record<string, string> = {}) =>
    call({ key, headers, body: { model: 'auto', messages: SHORT } });
};

/** The quota window is the clock minute: start well inside one, so a burst cannot straddle two. */
const awayFromMinuteBoundary = async () => {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 5_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
};

describe('quota', () => {
  it('admits exactly the limit out of a concurrent burst and answers the rest 429 with retry-after', async () => {
    const send = await tenantWithLimit('burst', 20);
    await awayFromMinuteBoundary();
    const responses = await Promise.all(Array.from({ length: 50 }, () => send()));
    expect(responses.filter((r) => r.status === 200)).toHaveLength(20);
    const refused = responses.filter((r) => r.status === 429);
    expect(refused).toHaveLength(30);
    for (const res of refused) {
      const retryAfter = Number(res.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(await res.json()).toMatchObject({
        error: { type: 'rate_limit_error', code: 'quota_exceeded' },
      });
    }
  });

  it('meters each workflow of a tenant on its own', async () => {
    const send = await tenantWithLimit('per-workflow', 2);
    await awayFromMinuteBoundary();
    const batch = [];
    for (let i = 0; i < 3; i++) batch.push((await send({ 'x-workflow': 'chat' })).status);
    expect(batch).toEqual([200, 200, 429]);
    expect((await send({ 'x-workflow': 'batch' })).status).toBe(200);
  });
});
