import { createHash } from 'node:crypto';
import { type Simulator, startSimulator } from '@switchback/loadtests/sim';
import {
  createAuditLog,
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
});
afterAll(async () => {
  regional.close();
  await sim.close();
});

const override = (body: object, key = OPERATOR_KEY) =>
  regional.fetch(
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
