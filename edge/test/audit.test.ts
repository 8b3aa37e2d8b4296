import { verifyAuditLog } from '@switchback/router-core';
import { describe, expect, inject, it } from 'vitest';
import { archived, archivedCount } from './audit-archive.ts';
import { AUDIT_TENANTS, NORTH_KEY, SOUTH_KEY } from './audit-tenants.ts';
import { appWith, configWith, ESCALATING, LONG, SHORT, sha256Hex, sseEvents } from './helpers.ts';

// The example config with the audit tenants, and ESCALATING's threshold: `LONG` escalates, a
// short greeting stays on the edge.
const config = configWith((c) => {
  c.tenants.push(...structuredClone(AUDIT_TENANTS));
  c.classification = ESCALATING.classification;
});

type Line = {
  seq: number;
  event: {
    request_id: string;
    tenant: string;
    key_id: string;
    decision?: { tier: string; reasons: string[] };
    provider?: string;
    model?: string;
    model_version?: string;
    status: number;
    outcome: string;
    error?: string;
    usage?: { prompt_tokens: number; completion_tokens: number };
    cost_usd?: number;
    tools?: { name: string; args_sha256?: string }[];
  };
};

const EMAIL = 'jane.doe@example.com';
const ARGS = `{"order":42,"email":"${EMAIL}"}`;

describe('edge audit events', () => {
  it('writes one signed, chained event per chat request into each tenant’s own chain', async () => {
    const call = appWith(config);
    const down = appWith(config, { REGIONAL_URL: inject('deadUrl') });
    const asNorth = { key: NORTH_KEY };
    const asSouth = { key: SOUTH_KEY };
    const id = (name: string) => ({ 'x-request-id': name });

    const statuses = [
      await call({
        ...asNorth,
        headers: id('north-edge'),
        body: { model: 'auto', messages: [{ role: 'user', content: `Say hello to ${EMAIL}.` }] },
      }),
      await call({
        ...asNorth,
        headers: id('north-regional'),
        body: { model: 'auto', messages: LONG },
      }),
      await call({ ...asNorth, headers: id('north-invalid'), body: { model: 'auto' } }),
      await call({
        ...asSouth,
        headers: id('south-edge'),
        body: { model: 'auto', messages: SHORT },
      }),
      await down({
        ...asSouth,
        headers: id('south-degraded'),
        body: { model: 'auto', messages: LONG },
      }),
      await down({
        ...asSouth,
        headers: id('south-refused'),
        body: {
          model: 'auto',
          messages: [
            { role: 'user', content: 'Refund order 42 to the customer’s card.' },
            {
              role: 'assistant',
              content: null,
              tool_calls: [
                { id: 'c1', type: 'function', function: { name: 'lookup_order', arguments: ARGS } },
              ],
            },
            { role: 'tool', tool_call_id: 'c1', content: 'order 42 found' },
          ],
          tools: [{ type: 'function', function: { name: 'refund_order', parameters: {} } }],
        },
      }),
      // Not authenticated: no tenant, no event.
      await call({ key: 'sk-test-audit-unknown', body: { model: 'auto', messages: SHORT } }),
    ].map((res) => res.status);
    expect(statuses).toEqual([200, 200, 400, 200, 200, 503, 401]);

    const streamed = await call({
      ...asNorth,
      headers: id('north-stream'),
      body: { model: 'auto', messages: SHORT, stream: true },
    });
    expect((await sseEvents(streamed)).at(-1)).toBe('[DONE]');

    const north = await archivedCount('audit-north', 4);
    const south = await archived('audit-south');
    const secret = inject('hmacSecret');
    expect(await verifyAuditLog(north, secret)).toMatchObject({ ok: true, count: 4 });
    expect(await verifyAuditLog(south, secret)).toMatchObject({ ok: true, count: 3 });

    const events = (lines: string[]) => lines.map((l) => (JSON.parse(l) as Line).event);
    const summary = (lines: string[]) =>
      events(lines).map((e) => ({
        request_id: e.request_id,
        tenant: e.tenant,
        tier: e.decision?.tier,
        status: e.status,
        outcome: e.outcome,
        ...(e.error === undefined ? {} : { error: e.error }),
      }));
    expect(summary(north)).toEqual([
      { request_id: 'north-edge', tenant: 'audit-north', tier: 'edge', status: 200, outcome: 'ok' },
      {
        request_id: 'north-regional',
        tenant: 'audit-north',
        tier: 'regional',
        status: 200,
        outcome: 'ok',
      },
      {
        request_id: 'north-invalid',
        tenant: 'audit-north',
        tier: undefined,
        status: 400,
        outcome: 'deterministic',
        error: 'invalid_request',
      },
      {
        request_id: 'north-stream',
        tenant: 'audit-north',
        tier: 'edge',
        status: 200,
        outcome: 'ok',
      },
    ]);
    expect(summary(south)).toEqual([
      { request_id: 'south-edge', tenant: 'audit-south', tier: 'edge', status: 200, outcome: 'ok' },
      {
        request_id: 'south-degraded',
        tenant: 'audit-south',
        tier: 'edge',
        status: 200,
        outcome: 'ok',
      },
      {
        request_id: 'south-refused',
        tenant: 'audit-south',
        tier: 'regional',
        status: 503,
        outcome: 'transient',
        error: 'upstream_unavailable',
      },
    ]);

    const [edge, regional, , stream] = events(north);
    expect(edge).toMatchObject({ key_id: 'audit-north-key', provider: 'workers-ai' });
    expect(regional?.provider).toBe('openai');
    // The model as each provider's answer named it.
    expect([edge, regional, stream].map((e) => [e?.model, e?.model_version])).toEqual([
      ['glm-flash', '@cf/zai-org/glm-4.7-flash'],
      ['gpt', 'gpt-4.1'],
      ['glm-flash', '@cf/zai-org/glm-4.7-flash'],
    ]);
    // Usage is known for a completion, and for a stream once it has ended.
    expect(edge?.usage?.completion_tokens).toBeGreaterThan(0);
    expect(stream?.usage?.completion_tokens).toBeGreaterThan(0);
    // Costs at the served model's list price (config `price`), in USD.
    const { prompt_tokens = 0, completion_tokens = 0 } = edge?.usage ?? {};
    expect(edge?.cost_usd).toBeCloseTo((prompt_tokens * 0.06 + completion_tokens * 0.4) / 1e6, 12);
    expect(regional?.cost_usd).toBeGreaterThan(0);
    const [, degraded, refused] = events(south);
    expect(degraded?.decision?.reasons.at(-1)).toBe('regional_unavailable_degraded');
    // Tool names kept, arguments only as their SHA-256.
    expect(refused?.tools).toEqual([
      { name: 'refund_order' },
      { name: 'lookup_order', args_sha256: await sha256Hex(ARGS) },
    ]);
    expect(events(north)[0]?.tools).toBeUndefined();
    expect([...north, ...south].join('\n')).not.toContain(EMAIL);
  });

  it('serves as usual on a Worker deployed without the AUDIT binding', async () => {
    const unbound = appWith(config, { AUDIT: undefined } as unknown as Partial<Env>);
    const res = await unbound({ key: NORTH_KEY, body: { model: 'auto', messages: SHORT } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-router-tier')).toBe('edge');
  });
});
