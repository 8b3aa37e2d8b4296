import { describe, expect, it } from 'vitest';
import { archivedEventOf } from './audit-archive.ts';
import { appWith, configWith, ESCALATING, LONG, simRequests, uniqueText } from './helpers.ts';

describe('AI Gateway as a hop at the edge', () => {
  const call = appWith(
    configWith((c) => {
      c.providers = c.providers.map((p) =>
        p.kind === 'workers-ai' ? { ...p, gateway: { id: 'gw-edge', cacheTtl: 120 } } : p,
      );
    }),
  );

  it('passes the provider’s gateway to env.AI.run (the stand-in calls the gateway-shaped path)', async () => {
    const text = uniqueText('gateway');
    const res = await call({
      body: { model: 'fast', messages: [{ role: 'user', content: text }] },
    });
    expect(res.status).toBe(200);
    const sent = (await simRequests(200)).filter((r) => JSON.stringify(r.body).includes(text));
    expect(sent).toHaveLength(1);
    expect(sent[0]?.headers).toMatchObject({
      'x-sim-gateway': 'gw-edge',
      'cf-aig-cache-ttl': '120',
    });
    // The binding returns the model's output only: the gateway's cache status is not told.
    expect(res.headers.get('x-router-gateway')).toBe('gw-edge; cache=unknown');
    const event = await archivedEventOf('demo', res.headers.get('x-request-id') ?? '');
    expect(event?.gateway).toEqual({ id: 'gw-edge', cache: 'unknown' });
  });

  it('leaves the binding call as it was without a gateway', async () => {
    const plain = appWith(configWith());
    const text = uniqueText('no gateway');
    const res = await plain({
      body: { model: 'fast', messages: [{ role: 'user', content: text }] },
    });
    const sent = (await simRequests(200)).filter((r) => JSON.stringify(r.body).includes(text));
    expect(sent[0]?.headers['x-sim-gateway']).toBeUndefined();
    expect(res.headers.get('x-router-gateway')).toBeNull();
  });

  it('passes regional’s x-router-gateway through on an escalated answer', async () => {
    const completion = {
      id: 'chatcmpl-regional',
      object: 'chat.completion',
      created: 1,
      model: 'gpt-4.1',
      choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
    };
    const escalating = appWith(
      ESCALATING,
      {},
      {
        fetcher: async () =>
          new Response(JSON.stringify(completion), {
            headers: {
              'content-type': 'application/json',
              'x-router-provider': 'openai',
              'x-router-model': 'gpt',
              'x-router-gateway': 'gw-main; cache=HIT',
            },
          }),
      },
    );
    const res = await escalating({ body: { model: 'auto', messages: LONG } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-router-tier')).toBe('regional');
    expect(res.headers.get('x-router-gateway')).toBe('gw-main; cache=HIT');
    const event = await archivedEventOf('demo', res.headers.get('x-request-id') ?? '');
    expect(event?.gateway).toEqual({ id: 'gw-main', cache: 'HIT' });
  });
});
