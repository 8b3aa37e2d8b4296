import { type Simulator, startSimulator } from '@switchback/loadtests/sim';
import {
  createMemoryQuotaStore,
  type PolicyStep,
  type QuotaStore,
  type RouterConfigInput,
} from '@switchback/router-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CASE_CLASSIFICATION,
  CASE_WORKFLOWS,
  caseBody,
  caseHeaders,
  checkQuotaAnswer,
  QUOTA_CASES,
  type QuotaCase,
} from '../../../router-core/test/quota/quota-cases.ts';
import { createRegionalApp, type RegionalApp } from '../create-regional-app.ts';
import { createLiveRegional } from '../reload/live-regional.ts';
import { createRedisQuotaStore } from '../state/redis/redis-quota-store.ts';
import { createRedisClient } from '../state/redis/redis-state.ts';
import {
  type RedisServer,
  redisServerAvailable,
  startRedisServer,
} from '../state/testing/redis-server.ts';
import { TEST_KEY, testConfig } from '../testing/test-config.ts';
import { frontDoorQuota } from './front-door-quota.ts';

let sim: Simulator;
let redis: RedisServer | undefined;
let redisClient: ReturnType<typeof createRedisClient> | undefined;
const HAVE_REDIS = redisServerAvailable();
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  if (HAVE_REDIS) {
    redis = await startRedisServer();
    redisClient = createRedisClient(
      { kind: 'redis', url: redis.url, timeoutMs: 2_000, keyPrefix: '', breakers: 'local' },
      {},
    );
    await redisClient.connect();
  }
});
afterAll(async () => {
  redisClient?.disconnect();
  await redis?.stop();
  await sim.close();
});

let keyspace = 0;
/** The stores a front door can keep quotas in: the same cases must give the same answers. */
const STORES: { store: string; make: () => QuotaStore }[] = [
  { store: 'memory', make: () => createMemoryQuotaStore() },
  ...(HAVE_REDIS
    ? [
        {
          store: 'redis',
          make: () => {
            if (redisClient === undefined) throw new Error('no redis client');
            return createRedisQuotaStore(redisClient, `case${keyspace++}:`);
          },
        },
      ]
    : []),
];

const BUDGET = { ttftMs: 2_000, totalMs: 10_000, policyMs: 50 };

/** A regional front door whose test tenant (class `standard`) has `quota`. */
const frontDoor = (
  quota: QuotaCase['quota'],
  overrides: Partial<RouterConfigInput> = {},
  quotas: QuotaStore = createMemoryQuotaStore(),
): RegionalApp => {
  const base = testConfig(sim.url);
  return createRegionalApp({
    config: testConfig(sim.url, {
      budgets: {
        default: BUDGET,
        workflows: Object.fromEntries(CASE_WORKFLOWS.map((w) => [w, BUDGET])),
      },
      classification: { ...base.classification, ...CASE_CLASSIFICATION },
      quotas: { standard: quota },
      ...overrides,
    }),
    env: {},
    quotas,
  });
};

const post = (app: RegionalApp, body: string, headers: Record<string, string> = {}) =>
  app.fetch(
    new Request('http://regional/v1/chat/completions', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TEST_KEY}`,
        'content-type': 'application/json',
        ...headers,
      },
      body,
    }),
  );

/** The quota window is the clock minute: start well inside one, so a run cannot straddle two. */
const awayFromMinuteBoundary = async (needMs = 5_000) => {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < needMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
};

describe.each(STORES)(
  'the regional door answers the shared quota cases ($store store)',
  ({ make }) => {
    it.each(QUOTA_CASES)('$name', async (quotaCase) => {
      const base = testConfig(sim.url);
      const app = frontDoor(
        quotaCase.quota,
        {
          ...(quotaCase.unknownWorkflow === undefined
            ? {}
            : { limits: { ...base.limits, unknownWorkflow: quotaCase.unknownWorkflow } }),
        },
        make(),
      );
      try {
        await awayFromMinuteBoundary();
        const statuses: number[] = [];
        for (const send of quotaCase.sends) {
          const res = await post(app, caseBody(send), caseHeaders(send));
          const text = await res.text();
          expect(checkQuotaAnswer(res.status, res.headers, text)).toBeUndefined();
          statuses.push(res.status);
        }
        expect(statuses).toEqual(quotaCase.statuses);
      } finally {
        app.close();
      }
    });
  },
);

describe('quotas at the regional front door', () => {
  it('1,300 requests with 1,300 distinct x-workflow values against 600 a minute: 600 admitted, 700 refused', async () => {
    const quotas = createMemoryQuotaStore();
    const app = frontDoor(
      { default: { requestsPerMinute: 600, tokensPerMinute: 100_000_000 } },
      {},
      quotas,
    );
    try {
      await awayFromMinuteBoundary(30_000);
      const statuses: number[] = [];
      for (let start = 0; start < 1300; start += 100) {
        const batch = Array.from({ length: 100 }, async (_, i) => {
          const res = await post(app, caseBody({}), { 'x-workflow': `w${start + i}` });
          expect(checkQuotaAnswer(res.status, res.headers, await res.text())).toBeUndefined();
          return res.status;
        });
        statuses.push(...(await Promise.all(batch)));
      }
      expect(statuses.filter((s) => s === 200)).toHaveLength(600);
      expect(statuses.filter((s) => s === 429)).toHaveLength(700);
      // One window: the default class of the one tenant, whatever was sent.
      expect(quotas.size).toBe(1);
    } finally {
      app.close();
    }
  }, 120_000);

  it('escalations to the regional tier have their own ceiling, and a refusal costs the default class nothing', async () => {
    const app = frontDoor({
      default: { requestsPerMinute: 3, tokensPerMinute: 10_000_000 },
      classes: { regional: { requestsPerMinute: 1, tokensPerMinute: 10_000_000 } },
    });
    try {
      await awayFromMinuteBoundary();
      const smart = JSON.stringify({ model: 'smart', messages: [{ role: 'user', content: 'hi' }] });
      const statuses: number[] = [];
      for (const body of [smart, smart, caseBody({}), caseBody({}), caseBody({})]) {
        const res = await post(app, body);
        const text = await res.text();
        if (res.status === 429) {
          expect(JSON.parse(text).error.message).toMatch(/^Rate limit reached for request class/);
        }
        statuses.push(res.status);
      }
      expect(statuses).toEqual([200, 429, 200, 200, 429]);
    } finally {
      app.close();
    }
  });

  it('writes its draws to the policy trace the audit event keeps: pass, then deny', async () => {
    const config = testConfig(sim.url, {
      quotas: { standard: { requestsPerMinute: 1, tokensPerMinute: 1_000 } },
    });
    const tenant = config.tenants[0];
    if (tenant === undefined) throw new Error('the test config has a tenant');
    const store = createMemoryQuotaStore();
    const trace: PolicyStep[] = [];
    const meter = () =>
      frontDoorQuota({
        config,
        store,
        caller: { mode: 'front-door', tenant, keyId: 'test-key' },
        workflow: undefined,
        rawBody: '{}',
        trace,
      });
    await awayFromMinuteBoundary();
    await meter()?.admit();
    await expect(meter()?.admit()).rejects.toMatchObject({ code: 'quota_exceeded' });
    expect(trace).toEqual([
      { check: 'quota', result: 'pass' },
      { check: 'quota', result: 'deny', detail: 'quota_exceeded' },
    ]);
  });

  it('a config reload keeps what the minute has used: a new config is no new allowance', async () => {
    const configOf = (version: string) =>
      testConfig(sim.url, {
        version,
        quotas: { standard: { requestsPerMinute: 2, tokensPerMinute: 1_000_000 } },
      });
    const live = createLiveRegional({ live: { config: configOf('v1') }, env: {} });
    const send = async () => {
      const res = await live.fetch(
        new Request('http://regional/v1/chat/completions', {
          method: 'POST',
          headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json' },
          body: caseBody({}),
        }),
      );
      await res.arrayBuffer();
      return res.status;
    };
    try {
      await awayFromMinuteBoundary();
      expect([await send(), await send()]).toEqual([200, 200]);
      live.replace({ config: configOf('v2') });
      expect(await send()).toBe(429);
    } finally {
      live.close();
    }
  });
});
