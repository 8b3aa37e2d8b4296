import { describe, expect, inject, it } from 'vitest';
import { callWorker, simRequests, uniqueText } from '../../test/helpers.ts';

const ask = (text: string, model = 'auto') => ({
  model,
  messages: [{ role: 'user', content: text }],
});

/** How many requests carrying `text` reached the simulated providers. */
const upstreamCalls = async (text: string) =>
  (await simRequests(200)).filter((r) => JSON.stringify(r.body).includes(text)).length;

describe('idempotency-key', () => {
  it('replays the stored answer to a repeated key instead of running twice', async () => {
    const text = uniqueText('replay');
    const key = crypto.randomUUID();
    const first = await callWorker({ headers: { 'idempotency-key': key }, body: ask(text) });
    const second = await callWorker({ headers: { 'idempotency-key': key }, body: ask(text) });
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.headers.get('x-router-tier')).toBe(first.headers.get('x-router-tier'));
    expect(await second.text()).toBe(await first.text());
    expect(await upstreamCalls(text)).toBe(1);
  });

  it('makes a concurrent duplicate wait for the first and get its answer', async () => {
    const text = uniqueText('concurrent');
    const key = crypto.randomUUID();
    // Slow the first answer down so the duplicate surely arrives while it is running.
    await fetch(`${inject('simUrl')}/_sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        target: 'workers-ai',
        model: '@cf/meta/llama-3.1-8b-instruct-fast',
        kind: 'slow_first_token',
        delayMs: 300,
        count: 1,
      }),
    });
    const [a, b] = await Promise.all([
      callWorker({ headers: { 'idempotency-key': key }, body: ask(text, 'llama-fast') }),
      callWorker({ headers: { 'idempotency-key': key }, body: ask(text, 'llama-fast') }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const replayed = [a, b].map((r) => r.headers.get('idempotent-replayed'));
    expect(replayed.sort()).toEqual(['true', null].sort());
    expect(await a.text()).toBe(await b.text());
    expect(await upstreamCalls(text)).toBe(1);
  });

  it('refuses the same key with a different body with 409', async () => {
    const key = crypto.randomUUID();
    const first = await callWorker({
      headers: { 'idempotency-key': key },
      body: ask(uniqueText('one')),
    });
    expect(first.status).toBe(200);
    const other = await callWorker({
      headers: { 'idempotency-key': key },
      body: ask(uniqueText('two')),
    });
    expect(other.status).toBe(409);
    expect(await other.json()).toMatchObject({
      error: { code: 'idempotency_conflict', type: 'invalid_request_error' },
    });
  });
});
