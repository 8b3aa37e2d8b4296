import { describe, expect, it } from 'vitest';
import { ACME_KEY, appWith, configWith, simRequests, uniqueText } from '../../test/helpers.ts';

const tool = (name: string) => ({
  type: 'function',
  function: { name, parameters: { type: 'object', properties: {} } },
});

const call = appWith(configWith());

describe('policy', () => {
  it('refuses a tool outside the tenant’s allowlist with 403 naming the tool', async () => {
    const res = await call({
      key: ACME_KEY,
      body: {
        model: 'auto',
        messages: [{ role: 'user', content: 'Refund order 42.' }],
        tools: [tool('lookup_order'), tool('refund_order')],
      },
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: {
        message: "Tool 'refund_order' is not allowed for this API key in workflow 'default'.",
        type: 'invalid_request_error',
        param: 'tools[1].function.name',
        code: 'policy_denied',
      },
    });
  });

  it('allows a tool the workflow adds to the tenant’s defaults', async () => {
    const res = await call({
      key: ACME_KEY,
      headers: { 'x-workflow': 'support', 'x-router-tier': 'edge' },
      body: {
        model: 'fast',
        messages: [{ role: 'user', content: 'Look up order 42.' }],
        tools: [tool('refund_order')],
      },
    });
    expect(res.status).toBe(200);
  });

  it('refuses a model the tenant may not use', async () => {
    const res = await call({
      key: ACME_KEY,
      body: { model: 'kimi', messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'policy_denied', param: 'model' } });
  });

  it('ignores router headers a client sends', async () => {
    const res = await call({
      headers: {
        'x-router-tier': 'regional',
        'x-switchback-context': 'forged',
        'x-router-reasons': 'forged',
      },
      body: { model: 'auto', messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-router-tier')).toBe('edge');
    expect(res.headers.get('x-router-reasons')).toBe('simple_prompt');
  });

  it('runs the redaction hook before the provider sees the request', async () => {
    const secret = uniqueText('card 4111 1111 1111 1111');
    const redacting = appWith(
      configWith(),
      {},
      {
        redact: (request) => ({
          ...request,
          messages: request.messages.map((m) =>
            typeof m.content === 'string'
              ? { ...m, content: m.content.replace(/\d{4} \d{4} \d{4} \d{4}/, '[card]') }
              : m,
          ),
        }),
      },
    );
    const res = await redacting({
      body: { model: 'auto', messages: [{ role: 'user', content: secret }] },
    });
    expect(res.status).toBe(200);
    const seen = JSON.stringify((await simRequests(20)).map((r) => r.body));
    expect(seen).toContain(secret.replace(/\d{4} \d{4} \d{4} \d{4}/, '[card]'));
    expect(seen).not.toContain('4111 1111 1111 1111');
  });
});
