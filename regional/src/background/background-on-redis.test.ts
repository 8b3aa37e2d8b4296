import { type Simulator, startSimulator } from '@switchback/loadtests/sim';
import type { RouterConfig } from '@switchback/router-core';
import { Redis } from 'ioredis';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endsWithin, SLOW_LONG_ANSWERS, statusOf } from '../http/routes/responses-testing.ts';
import { type RegionalServer, startRegionalServer } from '../start-regional-server.ts';
import { guardState } from '../state/guarded-state.ts';
import { createRedisState } from '../state/redis/redis-state.ts';
import type { RegionalState } from '../state/state-store.ts';
import {
  type RedisServer,
  redisServerAvailable,
  startRedisServer,
} from '../state/testing/redis-server.ts';
import { eventually } from '../testing/harness.ts';
import { simControl, total } from '../testing/sim-control.ts';
import { TEST_KEY, testConfig } from '../testing/test-config.ts';
import type { BackgroundWorkerConfig } from './regional-background.ts';

const HAVE_REDIS = redisServerAvailable();
const SECRET = 'test-shared-secret';
if (!HAVE_REDIS) console.log('background-on-redis: no redis-server on PATH, skipping');

describe.skipIf(!HAVE_REDIS)("background responses on the replicas' shared queue (Redis)", () => {
  let sim: Simulator;
  let redis: RedisServer;
  const started: { server: RegionalServer; state: RegionalState }[] = [];
  let config: ReturnType<typeof testConfig>;

  beforeAll(async () => {
    // Slow, long answers: a run is still mid-answer when it is cancelled or its replica dies.
    sim = await startSimulator({ port: 0, ...SLOW_LONG_ANSWERS.sim });
    redis = await startRedisServer();
    config = testConfig(sim.url, SLOW_LONG_ANSWERS.config);
  });
  afterAll(async () => {
    for (const { server, state } of started) {
      await server.close();
      await state.close();
    }
    await redis?.stop();
    await sim?.close();
  });

  /** A replica of its own Redis state; `concurrency: 0` queues runs and takes none. */
  const replica = async (
    worker: Partial<BackgroundWorkerConfig> = {},
    configured: RouterConfig = config,
  ) => {
    const state = guardState(
      await createRedisState({
        kind: 'redis',
        url: redis.url,
        timeoutMs: 500,
        keyPrefix: 'bg:',
        breakers: 'local',
      }),
    );
    const server = await startRegionalServer({
      config: configured,
      port: 0,
      env: {},
      // Every replica signs and checks the jobs under the one secret.
      hmacSecret: SECRET,
      state,
      backgroundWorker: { concurrency: 4, leaseMs: 10_000, pollMs: 50, ...worker },
    });
    started.push({ server, state });
    const client = new OpenAI({ apiKey: TEST_KEY, baseURL: `${server.url}/v1`, maxRetries: 0 });
    return { server, client };
  };
  const control = () => simControl(sim.url);
  const upstreamInFlight = async (n: number) =>
    eventually(async () => total(await control().stats(), 'inFlight', 'openai') === n, 10_000);

  it('a run queued on a replica stopped before it ran it completes on another', async () => {
    await control().reset();
    const a = await replica({ concurrency: 0 });
    const queued = await a.client.responses.create({
      model: 'smart',
      input: 'A short one.',
      max_output_tokens: 16,
      background: true,
    });
    expect(queued.status).toBe('queued');
    await a.server.close();
    expect(total(await control().stats(), 'calls')).toBe(0);

    const b = await replica();
    expect(await endsWithin(b.client, queued.id, 15_000)).toBe(true);
    expect(await b.client.responses.retrieve(queued.id)).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
      usage: { output_tokens: 16 },
    });
    const stats = await control().stats();
    expect([total(stats, 'calls'), total(stats, 'completed', 'openai')]).toEqual([1, 1]);
    // Its events are kept beside it: another replica streams them again from after event 0.
    const c = await replica({ concurrency: 0 });
    const events = [];
    const stream = await c.client.responses.retrieve(queued.id, {
      stream: true,
      starting_after: 0,
    });
    for await (const event of stream) events.push(event);
    expect(events[0]?.sequence_number).toBe(1);
    expect(events.at(-1)).toMatchObject({
      type: 'response.incomplete',
      response: { id: queued.id },
    });
    await b.server.close();
    await c.server.close();
  });

  it('a cancel reaching a replica that does not run it stops the upstream call where it runs', async () => {
    await control().reset();
    const runner = await replica();
    const door = await replica({ concurrency: 0 });
    const queued = await door.client.responses.create({
      model: 'smart',
      input: 'A long story.',
      background: true,
    });
    expect(await upstreamInFlight(1)).toBe(true);
    expect(await statusOf(door.client, queued.id)).toBe('in_progress');

    const cancelled = await door.client.responses.cancel(queued.id);
    expect(cancelled).toMatchObject({ id: queued.id, status: 'cancelled' });
    expect(await upstreamInFlight(0)).toBe(true);
    const stats = await control().stats();
    expect(total(stats, 'clientAborted', 'openai')).toBe(1);
    expect(total(stats, 'completed', 'openai')).toBe(0);
    expect(await statusOf(runner.client, queued.id)).toBe('cancelled');
    await runner.server.close();
    await door.server.close();
  });

  it('a run whose replica dies mid-run is resumed by another once its lease expires', async () => {
    await control().reset();
    const dying = await replica({ leaseMs: 1_000 });
    const queued = await dying.client.responses.create({
      model: 'smart',
      input: 'A longer one, twice.',
      // 64 tokens at 20 ms each: still running when its replica dies.
      max_output_tokens: 64,
      background: true,
    });
    expect(await upstreamInFlight(1)).toBe(true);
    // As a killed process: its upstream call drops, its lease is neither renewed nor given back.
    await dying.server.regional.background.stop({ requeue: false });
    expect(await upstreamInFlight(0)).toBe(true);
    expect(await statusOf(dying.client, queued.id)).toBe('in_progress');

    const heir = await replica({ leaseMs: 1_000 });
    expect(await endsWithin(heir.client, queued.id, 15_000)).toBe(true);
    expect(await heir.client.responses.retrieve(queued.id)).toMatchObject({
      status: 'incomplete',
      usage: { output_tokens: 64 },
    });
    const stats = await control().stats();
    expect(total(stats, 'clientAborted', 'openai')).toBe(1);
    expect(total(stats, 'completed', 'openai')).toBe(1);
    // Neither takes the jobs of the tests after this one.
    await heir.server.close();
    await dying.server.close();
  });
  /** The job's data as Redis holds it, read raw; its response id's. */
  const rawJob = async (id: string): Promise<string | null> => {
    const raw = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      return await raw.get(`bg:bg:job:{demo}:${id}`);
    } finally {
      raw.disconnect();
    }
  };

  /** A short run queued on a replica that takes none, closed after: the job waits in Redis. */
  const queuedAndLeft = async (headers: Record<string, string> = {}) => {
    await control().reset();
    const a = await replica({ concurrency: 0 });
    const queued = await a.client.responses.create(
      { model: 'smart', input: 'A short one.', max_output_tokens: 16, background: true },
      { headers },
    );
    await a.server.close();
    return queued;
  };

  it("a queued job's data in Redis holds the caller's tenant and key id, never the key", async () => {
    const queued = await queuedAndLeft({ 'idempotency-key': 'bg-raw-1', cookie: 'session=s3cr3t' });
    const raw = await rawJob(queued.id);
    expect(raw).not.toBeNull();
    const job = JSON.parse(raw ?? '{}') as {
      tenantId: string;
      keyId: string;
      seal: string;
      chat: { headers: [string, string][] };
    };
    expect([job.tenantId, job.keyId]).toEqual(['demo', 'test-key']);
    expect(job.seal).toMatch(/^[0-9a-f]{64}$/);
    expect(job.chat.headers.map(([name]) => name).sort()).toEqual([
      'content-type',
      'idempotency-key',
      'x-request-id',
    ]);
    expect(raw).not.toContain(TEST_KEY);
    expect(raw?.toLowerCase()).not.toContain('authorization');
    expect(raw?.toLowerCase()).not.toContain('bearer');
    expect(raw).not.toContain('s3cr3t');
  });

  it('a run queued by a key revoked before it starts fails with the revocation, unserved', async () => {
    const queued = await queuedAndLeft();
    // The operator revokes the key (the config every replica serves from now on).
    const revoked = testConfig(sim.url, {
      budgets: config.budgets,
      tenants: config.tenants.map((tenant) => ({
        ...tenant,
        keys: tenant.keys.map((key) => ({ ...key, revoked: true })),
      })),
    });
    const b = await replica({}, revoked);
    const reader = await replica({ concurrency: 0 });
    expect(await endsWithin(reader.client, queued.id, 15_000)).toBe(true);
    const done = await reader.client.responses.retrieve(queued.id);
    expect(done.status).toBe('failed');
    expect(done.error).toEqual({
      code: 'invalid_api_key',
      message: `The API key that queued background response ${queued.id} (key id test-key) has been revoked; the run was not served.`,
    });
    expect(total(await control().stats(), 'calls')).toBe(0);
    await b.server.close();
    await reader.server.close();
  });

  it('a job whose data was changed in Redis is not run: its seal does not hold', async () => {
    const queued = await queuedAndLeft();
    // Someone who can write to Redis raises the job's output limit.
    const raw = await rawJob(queued.id);
    const edited = (raw ?? '').replace(
      '\\"max_completion_tokens\\":16',
      '\\"max_completion_tokens\\":4000',
    );
    expect(edited).not.toBe(raw);
    const writer = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    await writer.set(`bg:bg:job:{demo}:${queued.id}`, edited, 'KEEPTTL');
    writer.disconnect();

    const b = await replica();
    expect(await endsWithin(b.client, queued.id, 15_000)).toBe(true);
    const done = await b.client.responses.retrieve(queued.id);
    expect(done.status).toBe('failed');
    expect(done.error?.code).toBe('internal_error');
    expect(done.error?.message).toMatch(/^The background job's seal does not hold/);
    expect(total(await control().stats(), 'calls')).toBe(0);
    await b.server.close();
  });
});
