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

  it('redacts the e-mail address and card number before Workers AI sees the prompt', async () => {
    const text = uniqueText('Refund jane.doe@example.com, card 4111 1111 1111 1111.');
    const res = await call({
      body: { model: 'fast', messages: [{ role: 'user', content: text }] },
    });
    expect(res.status).toBe(200);
    const sent = (await simRequests(1_000)).find((r) =>
      JSON.stringify(r.body).includes(text.slice(text.indexOf(' ref '))),
    );
    expect(sent?.body).toMatchObject({
      messages: [
        {
          role: 'user',
          content: text
            .replace('jane.doe@example.com', '[redacted:email]')
            .replace('4111 1111 1111 1111', '[redacted:card]'),
        },
      ],
    });
  });

  it('escalates to regional with the prompt already redacted, so no provider sees the PII', async () => {
    const text = uniqueText('Mail jane.doe@example.com about card 4111-1111-1111-1111.');
    const res = await call({
      body: { model: 'smart', messages: [{ role: 'user', content: text }] },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-router-tier')).toBe('regional');
    const tail = text.slice(text.indexOf(' ref '));
    const sent = (await simRequests(1_000)).find((r) => JSON.stringify(r.body).includes(tail));
    expect(sent?.target).toBe('openai');
    expect(sent?.body).toMatchObject({
      messages: [
        {
          role: 'user',
          content: text
            .replace('jane.doe@example.com', '[redacted:email]')
            .replace('4111-1111-1111-1111', '[redacted:card]'),
        },
      ],
    });
  });

  it('sends the prompt verbatim when the config turns prompt redaction off', async () => {
    const text = uniqueText('Mail jane.doe@example.com.');
    const verbatim = appWith(
      configWith((c) => {
        c.pii = { redactPrompts: false };
      }),
    );
    const res = await verbatim({
      body: { model: 'fast', messages: [{ role: 'user', content: text }] },
    });
    expect(res.status).toBe(200);
    const sent = (await simRequests(1_000)).find((r) => JSON.stringify(r.body).includes(text));
    expect(sent?.body).toMatchObject({ messages: [{ role: 'user', content: text }] });
  });
});
