import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness.ts';
import { total } from '../testing/sim-control.ts';
import { TEST_KEY } from '../testing/test-config.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const post = (body: unknown, key?: string) =>
  fetch(`${h.server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${TEST_KEY}`,
      'content-type': 'application/json',
      ...(key === undefined ? {} : { 'idempotency-key': key }),
    },
    body: JSON.stringify(body),
  });

const ask = (content: string) => ({ model: 'fast', messages: [{ role: 'user', content }] });

describe('idempotency-key at the regional front door (the edge semantics)', () => {
  it('a repeated key replays the first answer and runs once', async () => {
    const before = total(await h.control.stats(), 'calls');
    const first = await post(ask('once'), 'k-1');
    const firstText = await first.text();
    const again = await post(ask('once'), 'k-1');
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBe(null);
    expect(await again.text()).toBe(firstText);
    expect(again.headers.get('x-router-model')).toBe(first.headers.get('x-router-model'));
    expect(total(await h.control.stats(), 'calls') - before).toBe(1);
  });

  it('the same key with another body is 409 idempotency_conflict', async () => {
    await (await post(ask('first body'), 'k-2')).text();
    const other = await post(ask('second body'), 'k-2');
    expect(other.status).toBe(409);
    expect(((await other.json()) as { error: { code: string } }).error.code).toBe(
      'idempotency_conflict',
    );
  });

  it('concurrent duplicates wait for the first run and replay it', async () => {
    const before = total(await h.control.stats(), 'calls');
    const answers = await Promise.all(Array.from({ length: 5 }, () => post(ask('burst'), 'k-3')));
    const texts = await Promise.all(answers.map((a) => a.text()));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(texts).size).toBe(1);
    expect(total(await h.control.stats(), 'calls') - before).toBe(1);
  });

  it('a streaming request with a key runs every time (streams are never stored)', async () => {
    const before = total(await h.control.stats(), 'calls');
    for (let i = 0; i < 2; i++) await (await post({ ...ask('s'), stream: true }, 'k-4')).text();
    expect(total(await h.control.stats(), 'calls') - before).toBe(2);
  });

  it('a malformed key is 400', async () => {
    const answer = await post(ask('x'), 'has space');
    expect(answer.status).toBe(400);
  });
});
