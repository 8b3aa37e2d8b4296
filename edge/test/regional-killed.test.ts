import { describe, expect, inject, it } from 'vitest';
import { appWith, ESCALATING, LONG } from './helpers.ts';

const refund = {
  model: 'auto',
  messages: [{ role: 'user', content: 'Refund order 42 to the customer’s card.' }],
  tools: [{ type: 'function', function: { name: 'refund_order', parameters: { type: 'object' } } }],
};

type Seen = { status: number; retryAfter: string | null; reasons: string | null; body: string };

/** Every answer, read to its end: a hang would time the test out. */
const settle = async (response: Promise<Response>): Promise<Seen> => {
  const res = await response;
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    reasons: res.headers.get('x-router-reasons'),
    body: await res.text(),
  };
};

/** What the edge may answer when regional dies: an answer (regional's or degraded) or a 503. */
const acceptable = (seen: Seen, stream: boolean): boolean => {
  if (seen.status === 503) {
    return Number(seen.retryAfter) >= 1 && seen.body.includes('"code":"upstream_unavailable"');
  }
  if (seen.status !== 200) return false;
  if (!stream) return JSON.parse(seen.body).choices !== undefined;
  // A stream that had started when regional died ends with an error event instead of [DONE].
  return seen.body.trimEnd().endsWith('data: [DONE]') || seen.body.includes('"error":');
};

describe('regional killed during a load', () => {
  it('every request settles: answered, degraded to the edge tier, or 503 with retry-after', async () => {
    const call = appWith(ESCALATING, { REGIONAL_URL: inject('doomedRegionalUrl') });
    const load = Array.from({ length: 24 }, (_, i) => {
      const stream = i % 3 === 1;
      const body = i % 3 === 2 ? refund : { model: 'auto', messages: LONG, stream };
      return settle(call({ body })).then((seen) => ({ seen, stream }));
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await (await fetch(inject('doomedKillUrl'), { method: 'POST' })).text()).toBe('killed');
    const during = await Promise.all(load);
    for (const { seen, stream } of during)
      expect(acceptable(seen, stream), JSON.stringify(seen)).toBe(true);

    // After the kill: low risk degrades to the edge tier, high risk is refused with retry-after.
    const low = await settle(call({ body: { model: 'auto', messages: LONG } }));
    expect(low.status).toBe(200);
    expect(low.reasons).toMatch(/regional_unavailable_degraded$/);
    const high = await settle(call({ body: refund }));
    expect(high.status).toBe(503);
    expect(Number(high.retryAfter)).toBeGreaterThanOrEqual(1);
    const tally = during.reduce<Record<string, number>>((acc, { seen }) => {
      const key = `${seen.status}${seen.reasons?.endsWith('degraded') ? ' degraded' : ''}`;
      acc[key] = (acc[key] ?? 0) + 1;
      return acc;
    }, {});
    console.log(`regional killed mid-load: ${JSON.stringify(tally)}`);
  });
});
