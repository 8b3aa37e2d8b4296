import { createHash } from 'node:crypto';
import { type Simulator, startSimulator } from '@switchback/loadtests/sim';
import {
  createAuditLog,
  type OverrideAuditEvent,
  QUOTA_WINDOW_MS,
  type SignedAuditEvent,
  verifyAuditLog,
  windowStartOf,
} from '@switchback/router-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegionalApp, type RegionalApp } from '../../create-regional-app.ts';
import { chatRequest } from '../../testing/chat-request.ts';
import { TEST_KEY, testConfig } from '../../testing/test-config.ts';

const OPERATOR_KEY = 'sk-ops-bob';
const SECRET = 'overrides-secret';
let sim: Simulator;
let regional: RegionalApp;
const lines: string[] = [];
// Without quotas, for the forced routes' case: its requests are not counted against the first's.
let forcing: RegionalApp;
const forcingLines: string[] = [];

beforeAll(async () => {
  sim = await startSimulator({ port: 0, tokens: 4 });
  regional = createRegionalApp({
    config: testConfig(sim.url, {
      operators: [
        { id: 'ops-bob', sha256: createHash('sha256').update(OPERATOR_KEY).digest('hex') },
      ],
      quotas: { standard: { requestsPerMinute: 2, tokensPerMinute: 1_000_000 } },
    }),
    env: {},
    audit: createAuditLog({ secret: SECRET, sink: { write: (line) => void lines.push(line) } }),
  });
  forcing = createRegionalApp({
    config: testConfig(sim.url, {
      operators: [
        { id: 'ops-bob', sha256: createHash('sha256').update(OPERATOR_KEY).digest('hex') },
      ],
    }),
    env: {},
    audit: createAuditLog({
      secret: SECRET,
      sink: { write: (line) => void forcingLines.push(line) },
    }),
  });
});
afterAll(async () => {
  forcing.close();
  regional.close();
  await sim.close();
});

const override = (body: object, key = OPERATOR_KEY, app = regional) =>
  app.fetch(
    new Request('http://regional/ops/overrides', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );

const chat = async () => {
  const response = await regional.fetch(
    chatRequest({ model: 'smart', messages: [{ role: 'user', content: 'hello' }] }),
  );
  await response.arrayBuffer();
  return response.status;
};

describe('operator overrides at regional', () => {
  it('lifts a quota and resets a breaker for an operator only, each an override event', async () => {
    // Quotas are per clock minute: start early in one, so the case stays within it.
    const left = QUOTA_WINDOW_MS - (Date.now() - windowStartOf(Date.now()));
    if (left < 20_000) await new Promise((resolve) => setTimeout(resolve, left + 10));
    const window = windowStartOf(Date.now());
    expect([await chat(), await chat(), await chat()]).toEqual([200, 200, 429]);
    expect(
      (
        await override(
          { action: 'lift_quota', tenant: 'demo', target: 'default', requests: 1 },
          TEST_KEY,
        )
      ).status,
    ).toBe(401);
    const lifted = await override({
      action: 'lift_quota',
      tenant: 'demo',
      target: 'default',
      requests: 1,
      reason: 'incident 7',
    });
    expect(lifted.status).toBe(200);
    expect([await chat(), await chat()]).toEqual([200, 429]);
    expect(windowStartOf(Date.now())).toBe(window);

    const key = regional.breakers.snapshot().find((b) => b.provider === 'openai');
    expect(key).toBeDefined();
    if (key) regional.breakers.open(key);
    expect(regional.breakers.snapshot().find((b) => b.provider === 'openai')?.state).toBe('open');
    expect((await override({ action: 'reset_breaker', target: 'openai/gpt' })).status).toBe(200);
    expect(regional.breakers.snapshot().find((b) => b.provider === 'openai')?.state).toBe('closed');
    expect((await override({ action: 'force_tier', target: 'regional' })).status).toBe(400);

    const events = lines
      .map((line) => (JSON.parse(line) as SignedAuditEvent).event)
      .filter((e) => e.type === 'override')
      .map(({ ts: _, ...rest }) => rest);
    expect(events).toEqual([
      {
        type: 'override',
        operator: 'ops-bob',
        action: 'lift_quota',
        target: 'default',
        tenant: 'demo',
        reason: 'gave back 1 requests and 0 tokens: incident 7',
      },
      { type: 'override', operator: 'ops-bob', action: 'reset_breaker', target: 'openai/gpt' },
    ]);
    expect(await verifyAuditLog(lines, SECRET)).toMatchObject({ ok: true });
  }, 40_000);
});

/** A short ask under `auto` (the edge tier's, unforced): where it went and its first reason. */
const routed = async () => {
  const response = await forcing.fetch(
    chatRequest({ model: 'auto', messages: [{ role: 'user', content: 'Say hello.' }] }),
  );
  await response.arrayBuffer();
  return [
    response.status,
    response.headers.get('x-router-tier'),
    response.headers.get('x-router-model'),
    // A regional route's primary may be failed over on a cold start (`fallback` follows).
    response.headers.get('x-router-reasons')?.split(',')[0],
  ];
};

describe('an operator forcing a tenant’s tier or model at regional', () => {
  it('routes the tenant’s requests there with reason override, each an override event', async () => {
    expect(await routed()).toEqual([200, 'edge', 'glm', 'simple_prompt']);
    // A tenant key is no operator's credential.
    const byTenant = await override(
      { action: 'force_tier', tenant: 'demo', target: 'regional', ttl_seconds: 600 },
      TEST_KEY,
      forcing,
    );
    expect(byTenant.status).toBe(401);

    const forced = await override(
      {
        action: 'force_tier',
        tenant: 'demo',
        target: 'regional',
        ttl_seconds: 600,
        reason: 'edge incident 9',
      },
      OPERATOR_KEY,
      forcing,
    );
    expect(forced.status).toBe(200);
    const event = (await forced.json()) as OverrideAuditEvent;
    expect(Date.parse(event.expires_at ?? '') - Date.parse(event.ts)).toBe(600_000);
    expect(await routed()).toEqual([200, 'regional', expect.any(String), 'override']);

    // A new force replaces the tenant's last one.
    const model = await override(
      { action: 'force_model', tenant: 'demo', target: 'qwen', ttl_seconds: 60 },
      OPERATOR_KEY,
      forcing,
    );
    expect(model.status).toBe(200);
    expect(await routed()).toEqual([200, 'regional', 'qwen', 'override']);

    const refused = await Promise.all(
      [
        { action: 'force_model', tenant: 'demo', target: 'nope', ttl_seconds: 60 },
        { action: 'force_tier', tenant: 'demo', target: 'moon', ttl_seconds: 60 },
        { action: 'force_tier', tenant: 'nobody', target: 'edge', ttl_seconds: 60 },
        { action: 'force_tier', tenant: 'demo', target: 'edge', ttl_seconds: 0 },
        { action: 'force_tier', tenant: 'demo', target: 'edge' },
      ].map(async (body) => {
        const response = await override(body, OPERATOR_KEY, forcing);
        const { error } = (await response.json()) as { error: { code: string; param: string } };
        return [response.status, error.code, error.param];
      }),
    );
    expect(refused).toEqual([
      [400, 'invalid_request_error', 'target'],
      [400, 'invalid_request_error', 'target'],
      [400, 'invalid_request_error', 'tenant'],
      [400, 'invalid_request_error', 'ttl_seconds'],
      [400, 'invalid_request_error', 'ttl_seconds'],
    ]);

    const events = forcingLines
      .map((line) => (JSON.parse(line) as SignedAuditEvent).event)
      .filter((e) => e.type === 'override')
      .map(({ ts: _, expires_at: __, ...rest }) => rest);
    expect(events).toEqual([
      {
        type: 'override',
        operator: 'ops-bob',
        action: 'force_tier',
        target: 'regional',
        tenant: 'demo',
        reason: 'edge incident 9',
      },
      {
        type: 'override',
        operator: 'ops-bob',
        action: 'force_model',
        target: 'qwen',
        tenant: 'demo',
      },
    ]);
    const requestEvents = () =>
      forcingLines
        .map((line) => (JSON.parse(line) as SignedAuditEvent).event)
        .filter((e) => e.type === 'request');
    // A request's event is appended after its answer: wait for the last one a while.
    for (let i = 0; i < 100 && requestEvents().length < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const requests = requestEvents().map((e) => e.decision?.reasons);
    expect(requests).toEqual([['simple_prompt'], ['override'], ['override']]);
    expect(await verifyAuditLog(forcingLines, SECRET)).toMatchObject({ ok: true });
  }, 40_000);
});
