import { describe, expect, inject, it } from 'vitest';
import { appWith, configWith, ESCALATING, LONG } from './helpers.ts';

const refund = {
  model: 'auto',
  messages: [{ role: 'user', content: 'Refund order 42 to the customer’s card.' }],
  tools: [{ type: 'function', function: { name: 'refund_order', parameters: { type: 'object' } } }],
};

describe('regional down', () => {
  it('serves a low-risk escalation on the edge tier and says so', async () => {
    const call = appWith(ESCALATING, { REGIONAL_URL: inject('deadUrl') });
    const res = await call({ body: { model: 'auto', messages: LONG } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-router-tier')).toBe('edge');
    expect(res.headers.get('x-router-provider')).toBe('workers-ai');
    // On the edge ladder a degraded hard request takes the large model.
    expect(res.headers.get('x-router-model')).toBe('kimi');
    expect(res.headers.get('x-router-reasons')).toMatch(
      /^edge_large,complex_prompt.*,regional_unavailable_degraded$/,
    );
  });

  it('answers a high-risk request 503 upstream_unavailable with retry-after', async () => {
    const call = appWith(ESCALATING, { REGIONAL_URL: inject('deadUrl') });
    const res = await call({ body: refund });
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await res.json()).toMatchObject({
      error: { type: 'server_error', code: 'upstream_unavailable' },
    });
  });

  it('stops calling regional once its breaker opens, and keeps degrading', async () => {
    const call = appWith(
      configWith((c) => {
        c.classification = ESCALATING.classification;
        c.breaker = { ...c.breaker, volumeThreshold: 2, errorThresholdPercentage: 50 };
      }),
      { REGIONAL_URL: inject('deadUrl') },
    );
    for (let i = 0; i < 2; i++) await call({ body: { model: 'auto', messages: LONG } });
    const health = await call({ path: '/healthz', key: null });
    expect(await health.json()).toMatchObject({ regional: 'open' });
    const high = await call({ body: refund });
    expect(high.status).toBe(503);
    expect(Number(high.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const low = await call({ body: { model: 'auto', messages: LONG } });
    expect(low.headers.get('x-router-reasons')).toMatch(/regional_unavailable_degraded$/);
  });
});
