import { type Simulator, startSimulator } from '@switchback/loadtests/sim';
import OpenAI, { NotFoundError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RegionalServer, startRegionalServer } from '../../start-regional-server.ts';
import { TEST_KEY, testConfig } from '../../testing/test-config.ts';
import { guardState } from '../guarded-state.ts';
import type { RegionalState } from '../state-store.ts';
import {
  type RedisServer,
  redisServerAvailable,
  startRedisServer,
} from '../testing/redis-server.ts';
import { createRedisState } from './redis-state.ts';

const HAVE_REDIS = redisServerAvailable();
if (!HAVE_REDIS) console.log('redis-response-store: no redis-server on PATH, skipping');

describe.skipIf(!HAVE_REDIS)('stored responses on Redis', () => {
  let redis: RedisServer;
  let sim: Simulator;
  const states: RegionalState[] = [];
  const replicas: RegionalServer[] = [];
  const clients: OpenAI[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    sim = await startSimulator({ port: 0 });
    const config = testConfig(sim.url);
    for (let i = 0; i < 2; i++) {
      const state = guardState(
        await createRedisState({
          kind: 'redis',
          url: redis.url,
          timeoutMs: 200,
          keyPrefix: 'resp:',
          breakers: 'local',
        }),
      );
      states.push(state);
      const replica = await startRegionalServer({ config, port: 0, env: {}, state });
      replicas.push(replica);
      clients.push(new OpenAI({ baseURL: `${replica.url}/v1`, apiKey: TEST_KEY, maxRetries: 0 }));
    }
  });
  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    for (const state of states) await state.close();
    await sim?.close();
    await redis?.stop();
  });

  it('a response stored by one replica is read, continued and deleted through another', async () => {
    const [a, b] = clients;
    if (a === undefined || b === undefined) throw new Error('two replicas');
    const first = await a.responses.create({ model: 'smart', input: 'hello' });
    expect(await b.responses.retrieve(first.id)).toEqual({
      ...first,
      output_text: first.output_text,
    });
    const next = await b.responses.create({
      model: 'smart',
      input: 'again',
      previous_response_id: first.id,
    });
    expect(next.previous_response_id).toBe(first.id);
    await a.responses.delete(first.id);
    await expect(b.responses.retrieve(first.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('keeps tenants apart and lets a response expire with its TTL', async () => {
    const [state] = states;
    if (state === undefined) throw new Error('a state');
    const first = await clients[0]?.responses.create({ model: 'smart', input: 'hello' });
    const kept = await state.responses.get('demo', first?.id ?? '');
    expect(kept?.response.id).toBe(first?.id);
    expect(await state.responses.get('acme', first?.id ?? '')).toBeUndefined();
    if (kept === undefined) throw new Error('kept');
    await state.responses.put({ ...kept, expiresAt: Date.now() + 20 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await state.responses.get('demo', kept.response.id)).toBeUndefined();
  });

  it('answers 503 with retry-after while Redis is down', async () => {
    await redis.stop();
    const res = await fetch(`${replicas[0]?.url}/v1/responses/resp_x`, {
      headers: { authorization: `Bearer ${TEST_KEY}` },
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
      'upstream_unavailable',
    );
  });
});
