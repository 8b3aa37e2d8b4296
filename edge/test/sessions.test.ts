import { affinityKey } from '@switchback/router-core';
import { describe, expect, inject, it } from 'vitest';
import {
  ACME_KEY,
  appWith,
  configWith,
  DEMO_KEY,
  ESCALATING,
  LONG,
  SHORT,
  simRequests,
  uniqueText,
} from './helpers.ts';

const call = appWith(
  configWith((c) => {
    c.classification = ESCALATING.classification;
    c.affinity = { stickyTurns: 2 };
  }),
);

const turn = async (
  session: string,
  messages: unknown,
  key = DEMO_KEY,
  header: 'x-session-affinity' | 'x-session-id' = 'x-session-affinity',
) => {
  const res = await call({
    key,
    headers: { [header]: session },
    body: { model: 'auto', messages },
  });
  expect(res.status).toBe(200);
  return { tier: res.headers.get('x-router-tier'), reasons: res.headers.get('x-router-reasons') };
};

describe('sessions', () => {
  it('keeps a session escalated to regional there for the configured turns, then lets it go', async () => {
    const session = crypto.randomUUID();
    expect((await turn(session, LONG)).tier).toBe('regional');
    expect(await turn(session, SHORT)).toEqual({ tier: 'regional', reasons: 'sticky_session' });
    expect(await turn(session, SHORT)).toEqual({ tier: 'regional', reasons: 'sticky_session' });
    expect(await turn(session, SHORT)).toEqual({ tier: 'edge', reasons: 'simple_prompt' });
  });

  it('takes x-session-id as the session as it takes x-session-affinity: one sticky session', async () => {
    const session = crypto.randomUUID();
    const byId = (messages: unknown) => turn(session, messages, DEMO_KEY, 'x-session-id');
    expect((await byId(LONG)).tier).toBe('regional');
    expect(await byId(SHORT)).toEqual({ tier: 'regional', reasons: 'sticky_session' });
    // The same id under the other header is the same session.
    expect(await turn(session, SHORT)).toEqual({ tier: 'regional', reasons: 'sticky_session' });
    expect(await byId(SHORT)).toEqual({ tier: 'edge', reasons: 'simple_prompt' });
  });

  it('sends the tenant-namespaced session key to the Workers AI binding as x-session-affinity', async () => {
    const session = crypto.randomUUID();
    const text = uniqueText('affinity');
    await turn(session, [{ role: 'user', content: text }]);
    const seen = (await simRequests(1_000)).filter((r) => JSON.stringify(r.body).includes(text));
    expect(seen).toHaveLength(1);
    const expected = await affinityKey('demo', session, inject('hmacSecret'));
    expect(seen[0]?.headers['x-session-affinity']).toBe(expected);
    expect(expected).not.toContain(session);
  });

  it('never lets two tenants with the same session id share state', async () => {
    const session = crypto.randomUUID();
    expect((await turn(session, LONG, DEMO_KEY)).tier).toBe('regional');
    const text = uniqueText('other tenant');
    expect(await turn(session, [{ role: 'user', content: text }], ACME_KEY)).toEqual({
      tier: 'edge',
      reasons: 'simple_prompt',
    });
    expect((await turn(session, SHORT, DEMO_KEY)).reasons).toBe('sticky_session');
    const seen = (await simRequests(1_000)).find((r) => JSON.stringify(r.body).includes(text));
    expect(seen?.headers['x-session-affinity']).toBe(
      await affinityKey('acme', session, inject('hmacSecret')),
    );
    expect(seen?.headers['x-session-affinity']).not.toBe(
      await affinityKey('demo', session, inject('hmacSecret')),
    );
  });
});
