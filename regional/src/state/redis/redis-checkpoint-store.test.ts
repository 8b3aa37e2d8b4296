import { type Simulator, startSimulator } from '@switchback/loadtests/sim';
import type { Checkpoint } from '@switchback/router-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPLAY_COMPACTION } from '../../../../router-core/test/compaction/replay-case.ts';
import { conversation } from '../../../../router-core/test/conversation.ts';
import type { RegionalServer } from '../../start-regional-server.ts';
import { TEST_KEY, testConfig } from '../../testing/test-config.ts';
import type { RegionalState, StateFailure } from '../state-store.ts';
import { redisServerAvailable } from '../testing/redis-server.ts';
import { type ReplicasOnRedis, startReplicasOnRedis } from '../testing/replicas-on-redis.ts';

const HAVE_REDIS = redisServerAvailable();
if (!HAVE_REDIS) console.log('redis-checkpoint-store: no redis-server on PATH, skipping');

type Logged = { body: { messages?: { content: unknown }[] } };
const isSummary = (r: Logged) =>
  String(r.body.messages?.[0]?.content ?? '').startsWith('You write checkpoint summaries');

const checkpoint = (tenantId: string, session: string): Checkpoint => ({
  tenantId,
  session,
  coveredMessages: 20,
  coveredTurns: 10,
  hash: 'ab'.repeat(32),
  summary: `summary of ${tenantId}`,
  model: 'glm',
  createdAt: 1,
});

describe.skipIf(!HAVE_REDIS)('compaction checkpoints on Redis', () => {
  let sim: Simulator;
  let fleet: ReplicasOnRedis;
  let states: RegionalState[] = [];
  let replicas: RegionalServer[] = [];
  const failures: StateFailure[] = [];

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    const config = testConfig(sim.url, {
      budgets: { default: { ttftMs: 2000, totalMs: 10000, policyMs: 50 } },
      compaction: { workflows: {}, auto: { ...REPLAY_COMPACTION, summarizer: 'glm' } },
    });
    fleet = await startReplicasOnRedis(config, { keyPrefix: 'cp:' });
    ({ states, replicas } = fleet);
    for (const state of states) state.failures.listen((failure) => failures.push(failure));
  });
  afterAll(async () => {
    await fleet?.close();
    await sim?.close();
  });

  const post = (replica: RegionalServer, turns: number, session: string) =>
    fetch(`${replica.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TEST_KEY}`,
        'content-type': 'application/json',
        'x-session-id': session,
        'x-switchback-compaction': 'auto',
      },
      body: JSON.stringify({ model: 'fast', messages: conversation(turns, session) }),
    });
  const simRequests = async (): Promise<Logged[]> =>
    ((await (await fetch(`${sim.url}/_sim/requests`)).json()) as { requests: Logged[] }).requests;
  const clearSim = () => fetch(`${sim.url}/_sim/requests`, { method: 'DELETE' });

  it('keeps checkpoints apart by tenant: the same session of another tenant has none', async () => {
    const [state] = states;
    await state?.checkpoints.put({ tenantId: 'a', session: 's' }, checkpoint('a', 's'));
    expect(await state?.checkpoints.get({ tenantId: 'a', session: 's' })).toEqual(
      checkpoint('a', 's'),
    );
    expect(await state?.checkpoints.get({ tenantId: 'b', session: 's' })).toBeUndefined();
    // Another replica reads the same one.
    expect(await states[1]?.checkpoints.get({ tenantId: 'a', session: 's' })).toEqual(
      checkpoint('a', 's'),
    );
  });

  it('a checkpoint written by one replica is used by another', async () => {
    const [a, b] = replicas;
    if (a === undefined || b === undefined) throw new Error('two replicas');
    await clearSim();
    const first = await post(a, 14, 'shared-1');
    expect(first.headers.get('x-router-compaction')).toMatch(/^applied; covered=10;/);
    expect((await simRequests()).filter(isSummary)).toHaveLength(1);
    await clearSim();
    // Replica b has no checkpoint of its own: with one from a it covers a's 10 turns and writes
    // no summary (alone it would summarise 11 turns).
    const next = await post(b, 15, 'shared-1');
    expect(next.status).toBe(200);
    expect(next.headers.get('x-router-compaction')).toMatch(/^applied; covered=10;/);
    const logged = await simRequests();
    expect(logged.filter(isSummary)).toHaveLength(0);
    expect(logged[0]?.body.messages).toHaveLength(conversation(15).length - 20 + 1);
  });

  it('with Redis down, compaction sends the request whole and says why; the request is served', async () => {
    const [, b] = replicas;
    if (b === undefined) throw new Error('two replicas');
    await fleet.redis.stop();
    await clearSim();
    const res = await post(b, 16, 'shared-1');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-router-compaction')).toBe('whole; reason=store_unavailable');
    const logged = await simRequests();
    expect(logged.filter(isSummary)).toHaveLength(0);
    expect(logged[0]?.body.messages).toHaveLength(conversation(16).length);
    expect(failures.some((f) => f.concern === 'checkpoints' && f.policy === 'fail_open')).toBe(
      true,
    );
  });
});
