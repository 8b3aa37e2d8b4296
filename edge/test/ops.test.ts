import { env } from 'cloudflare:workers';
import {
  type AuditEvent,
  QUOTA_WINDOW_MS,
  type RequestAuditEvent,
  type SignedAuditEvent,
  verifyAuditLog,
  windowStartOf,
} from '@switchback/router-core';
import { describe, expect, inject, it } from 'vitest';
import { kvOverrideStore } from '../src/ops/kv-override-store.ts';
import { archived, archivedEventOf } from './audit-archive.ts';
import { AUDIT_TENANTS, OPS_KEY } from './audit-tenants.ts';
import { appWith, configWith, sha256Hex } from './helpers.ts';

// A tenant regional knows too (its escalations are served), with a tight quota of its own.
const TENANT = 'ops-edge';
const OPERATOR_KEY = 'sk-ops-dana';

const OPERATOR_SHA256 = await sha256Hex(OPERATOR_KEY);
const opsConfig = configWith((c) => {
  const tenant = structuredClone(AUDIT_TENANTS.find((t) => t.id === TENANT));
  if (tenant === undefined) throw new Error('no ops-edge tenant');
  c.tenants.push({ ...tenant, class: 'ops-tight' });
  c.quotas = { ...c.quotas, 'ops-tight': { requestsPerMinute: 6, tokensPerMinute: 1_000_000 } };
  c.operators = [{ id: 'ops-dana', sha256: OPERATOR_SHA256 }];
});

const call = appWith(opsConfig);
const ops = (path: string, body: object, key = OPERATOR_KEY) =>
  call({ key, path: `/ops/${path}`, body });

/** A short ask under `auto` (the edge tier's, unforced): its status, tier, model and reasons. */
const ask = async () => {
  const res = await call({
    key: OPS_KEY,
    body: { model: 'auto', messages: [{ role: 'user', content: 'Say hello.' }] },
  });
  await res.arrayBuffer();
  return {
    id: res.headers.get('x-request-id') ?? '',
    seen: [
      res.status,
      res.headers.get('x-router-tier'),
      res.headers.get('x-router-model'),
      res.headers.get('x-router-reasons'),
    ],
  };
};

const events = async (tenant: string): Promise<AuditEvent[]> =>
  (await archived(tenant)).map((line) => (JSON.parse(line) as SignedAuditEvent).event);

describe('operators at the edge’s /ops', () => {
  it('lifts a tenant’s quota for an operator only, an override event in its chain', async () => {
    // Quotas are per clock minute: start early in one, so the case stays within it.
    const left = QUOTA_WINDOW_MS - (Date.now() - windowStartOf(Date.now()));
    if (left < 20_000) await new Promise((resolve) => setTimeout(resolve, left + 10));
    const window = windowStartOf(Date.now());
    const statuses: unknown[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await ask()).seen[0]);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429]);

    const lift = { action: 'lift_quota', tenant: TENANT, target: 'default', requests: 1 };
    const byTenant = await ops('overrides', lift, OPS_KEY);
    expect([
      byTenant.status,
      ((await byTenant.json()) as { error: { code: string } }).error.code,
    ]).toEqual([401, 'invalid_api_key']);
    const lifted = await ops('overrides', { ...lift, reason: 'incident 12' });
    expect(lifted.status).toBe(200);
    expect([(await ask()).seen[0], (await ask()).seen[0]]).toEqual([200, 429]);
    expect(windowStartOf(Date.now())).toBe(window);

    const overrides = (await events(TENANT)).filter((e) => e.type === 'override');
    expect(overrides.map(({ ts: _, ...rest }) => rest)).toEqual([
      {
        type: 'override',
        operator: 'ops-dana',
        action: 'lift_quota',
        target: 'default',
        tenant: TENANT,
        reason: 'gave back 1 requests and 0 tokens: incident 12',
      },
    ]);
  }, 90_000);

  it('forces the tenant’s tier, then a model, with reason override, each an override event', async () => {
    // The quota case spent this minute's allowance: give plenty back.
    await ops('overrides', {
      action: 'lift_quota',
      tenant: TENANT,
      target: 'default',
      requests: 100,
    });
    expect((await ask()).seen).toEqual([200, 'edge', expect.any(String), 'simple_prompt']);

    const force = (action: string, target: string, more: object = {}) =>
      ops('overrides', { action, tenant: TENANT, target, ttl_seconds: 600, ...more });
    expect((await force('force_tier', 'regional')).status).toBe(200);
    const tier = await ask();
    expect(tier.seen).toEqual([200, 'regional', expect.any(String), 'override']);

    const model = await force('force_model', 'claude', { reason: 'pin the incident model' });
    expect(model.status).toBe(200);
    const pinned = await ask();
    expect(pinned.seen).toEqual([200, 'regional', 'claude', 'override']);

    expect((await force('force_tier', 'regional', { ttl_seconds: 86_401 })).status).toBe(400);

    const event = (await archivedEventOf(TENANT, pinned.id)) as RequestAuditEvent | undefined;
    expect(event?.decision?.reasons).toEqual(['override']);
    expect(event?.policy_trace?.find((s) => s.check === 'operator_override')?.detail).toMatch(
      /^force_model:claude by ops-dana until \d{4}-/,
    );
    const forces = (await events(TENANT))
      .filter((e) => e.type === 'override' && e.action !== 'lift_quota')
      .map((e) => (e.type === 'override' ? [e.operator, e.action, e.target, e.reason] : []));
    expect(forces).toEqual([
      ['ops-dana', 'force_tier', 'regional', undefined],
      ['ops-dana', 'force_model', 'claude', 'pin the incident model'],
    ]);
    expect(await verifyAuditLog(await archived(TENANT), inject('hmacSecret'))).toMatchObject({
      ok: true,
    });
  }, 60_000);

  it('keeps a forced route in KV until it lapses', async () => {
    let now = 1_000_000;
    const store = kvOverrideStore(env.CONFIG, () => now);
    const at = Date.now();
    await store.set({
      kind: 'force_tier',
      tier: 'regional',
      tenant: 'ops-lapse',
      operator: 'ops-dana',
      expiresAt: at + 5_000,
    });
    expect(await store.get('ops-lapse', at + 4_999)).toMatchObject({ tier: 'regional' });
    expect(await store.get('ops-lapse', at + 5_000)).toBeUndefined();
    // Once the isolate's copy is stale, it is read from KV again.
    now += 60_000;
    expect(await kvOverrideStore(env.CONFIG, () => now).get('ops-lapse', at)).toMatchObject({
      operator: 'ops-dana',
    });
  });

  it('resets the isolate’s regional breaker, an override event without a tenant', async () => {
    const reset = await ops('overrides', { action: 'reset_breaker', target: 'regional' });
    expect(reset.status).toBe(200);
    const unknown = await ops('overrides', { action: 'reset_breaker', target: 'openai/gpt' });
    expect([
      unknown.status,
      ((await unknown.json()) as { error: { param: string } }).error.param,
    ]).toEqual([400, 'target']);
    const noTenant = (await events('_')).filter(
      (e) => e.type === 'override' && e.operator === 'ops-dana',
    );
    expect(noTenant.map((e) => (e.type === 'override' ? [e.action, e.target] : []))).toContainEqual(
      ['reset_breaker', 'regional'],
    );
  });
});
