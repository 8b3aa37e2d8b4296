import { type Simulator, startSimulator } from '@switchback/loadtests/sim';
import { newSession } from '@switchback/router-core';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RegionalServer, startRegionalServer } from '../start-regional-server.ts';
import { TEST_KEY, testConfig } from '../testing/test-config.ts';
import type { Admission } from './admission.ts';
import { guardState } from './guarded-state.ts';
import { createMemoryState } from './memory-state.ts';
import { createRedisState } from './redis/redis-state.ts';
import type { RegionalState } from './state-store.ts';
import {
  type RedisServer,
  redisServerAvailable,
  startRedisServer,
} from './testing/redis-server.ts';

const HAVE_REDIS = redisServerAvailable();
const response = { status: 200, headers: [] as [string, string][], body: '{"id":"first"}' };
const quota = (requests: number) => ({
  buckets: [{ name: 'default', requests, tokens: 1_000 }],
  tokens: 10,
});
const claimOf = (key: string) => ({ key, fingerprint: 'f', runMs: 5_000, waitMs: 0 });
const verdictOf = (admission: Admission) =>
  admission.kind === 'drawn' && admission.quota !== undefined && 'verdict' in admission.quota
    ? admission.quota.verdict.ok
    : admission.kind;

/** The same admission from both stores. */
const contract = (name: string, make: () => Promise<RegionalState>) =>
  describe(`${name} state: one request's admission`, () => {
    let state: RegionalState;
    beforeAll(async () => {
      state = await make();
    });
    afterAll(() => state.close());

    it('draws the quota, reads the session and claims the key; a duplicate is held and draws nothing', async () => {
      await state.sessions.set('as1', { ...newSession(), turns: 2 });
      const input = { tenantId: 'ta', quota: quota(2), sessionId: 'as1', claim: claimOf('ta:k1') };
      const first = await state.admission.admit(input);
      expect(first).toMatchObject({ kind: 'drawn', claimed: true, session: { turns: 2 } });
      expect(verdictOf(first)).toBe(true);
      // In flight: Redis answers `wait` (the caller polls); memory waited its 0 ms.
      const duplicate = await state.admission.admit(input);
      expect(
        duplicate.kind === 'held' && ['wait', 'in_progress'].includes(duplicate.claim.kind),
      ).toBe(true);
      await state.idempotency.complete('ta:k1', 'f', response);
      expect(await state.admission.admit(input)).toEqual({
        kind: 'held',
        claim: { kind: 'replay', response },
        session: { ...newSession(), turns: 2 },
      });
      expect(
        await state.admission.admit({ ...input, claim: { ...input.claim, fingerprint: 'g' } }),
      ).toMatchObject({ kind: 'held', claim: { kind: 'conflict' } });
      // The held ones drew nothing: the window's second unit is still there, and then spent.
      const plain = { tenantId: 'ta', quota: quota(2), sessionId: undefined, claim: undefined };
      expect(verdictOf(await state.admission.admit(plain))).toBe(true);
      expect(verdictOf(await state.admission.admit(plain))).toBe(false);
    });

    it('a refused draw leaves the key free', async () => {
      const input = { tenantId: 'tb', quota: quota(0), sessionId: 'none', claim: claimOf('tb:k') };
      const refused = await state.admission.admit(input);
      expect(refused).toMatchObject({ kind: 'drawn', claimed: false, session: undefined });
      expect(verdictOf(refused)).toBe(false);
      const again = { fingerprint: 'f', waitMs: 0, runMs: 5_000 };
      expect(await state.idempotency.claim('tb:k', again)).toEqual({ kind: 'run' });
    });

    it('without a quota or a key, reads the session alone; with a key alone, claims it', async () => {
      expect(
        await state.admission.admit({
          tenantId: 'tc',
          quota: undefined,
          sessionId: 'as1',
          claim: undefined,
        }),
      ).toEqual({
        kind: 'drawn',
        quota: undefined,
        claimed: false,
        session: { ...newSession(), turns: 2 },
      });
      const alone = {
        tenantId: 'tc',
        quota: undefined,
        sessionId: undefined,
        claim: claimOf('tc:k'),
      };
      expect(await state.admission.admit(alone)).toMatchObject({ kind: 'drawn', claimed: true });
    });
  });

contract('memory', async () => guardState(createMemoryState()));

/** Every command the client sends, as its name and first key (or argument). */
const recordCommands = (client: Redis): string[] => {
  const sent: string[] = [];
  const send = client.sendCommand.bind(client);
  client.sendCommand = (command, stream) => {
    const args = command.args.map(String);
    const scripted = command.name === 'evalsha' || command.name === 'eval';
    sent.push(`${command.name} ${(scripted ? args[2] : args[0]) ?? ''}`);
    return send(command, stream);
  };
  return sent;
};

describe.skipIf(!HAVE_REDIS)('redis', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(() => server.stop());

  const redisState = (keyPrefix: string) =>
    createRedisState({
      kind: 'redis',
      url: server.url,
      timeoutMs: 1_000,
      keyPrefix,
      breakers: 'local',
    });

  contract('redis', async () => guardState(await redisState('c:')));

  it('an admission is one command, EVALSHA; the script body is sent once more after SCRIPT FLUSH', async () => {
    const state = await redisState('one:');
    try {
      const sent = recordCommands(state.client);
      const input = { tenantId: 't', quota: quota(5), sessionId: 's', claim: claimOf('t:k') };
      await state.admission.admit(input);
      expect(sent).toEqual(['evalsha one:session:s']);
      await state.client.script('FLUSH');
      sent.length = 0;
      const again = await state.admission.admit({ ...input, claim: claimOf('t:k2') });
      expect(again).toMatchObject({ kind: 'drawn', claimed: true });
      expect(sent).toEqual(['evalsha one:session:s', 'eval one:session:s']);
    } finally {
      await state.close();
    }
  });

  describe('a front-door request with a session and an idempotency-key', () => {
    let sim: Simulator;
    let regional: RegionalServer;
    let state: RegionalState & { client: Redis };
    beforeAll(async () => {
      sim = await startSimulator({ port: 0 });
      state = await redisState('door:');
      regional = await startRegionalServer({
        config: testConfig(sim.url, {
          quotas: { standard: { requestsPerMinute: 100, tokensPerMinute: 1_000_000 } },
        }),
        port: 0,
        env: {},
        state: guardState(state),
      });
    });
    afterAll(async () => {
      await regional.close();
      await state.close();
      await sim.close();
    });

    it('waits for one Redis reply before it is decided: the admission, then the session write and the answer stored', async () => {
      // The background worker's looks at its queue are not the request's.
      const sent = recordCommands(state.client);
      const requestOnly = () => sent.filter((c) => !c.includes('door:bg:'));
      const until = async (done: () => boolean) => {
        for (let i = 0; i < 200 && !done(); i++) {
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      };
      const post = (key: string) =>
        fetch(`${regional.url}/v1/chat/completions`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${TEST_KEY}`,
            'content-type': 'application/json',
            'idempotency-key': key,
            'x-session-affinity': 'sess-1',
          },
          body: JSON.stringify({ model: 'fast', messages: [{ role: 'user', content: 'hi' }] }),
        });
      // A first request with another key loads the scripts (EVALSHA's NOSCRIPT, then EVAL).
      expect((await post('warm-up')).status).toBe(200);
      await until(() => requestOnly().length >= 4);
      // Its token correction is not awaited: on a fast answer its EVAL comes after the fourth
      // command, so wait until nothing more has come for 100 ms before counting afresh.
      for (let i = 0, seen = -1; i < 50 && seen !== requestOnly().length; i++) {
        seen = requestOnly().length;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      sent.length = 0;
      const first = await post('one-trip');
      expect(first.status).toBe(200);
      const text = await first.text();
      // What follows the admission rides beside the upstream call and the reply: wait for it.
      await until(() => requestOnly().length >= 4);
      const [admission, ...after] = requestOnly();
      expect(admission).toMatch(/^evalsha door:session:/);
      expect(after.map((c) => c.replace(/session:\S+/, 'session:…')).sort()).toEqual([
        // The answer stored for replays.
        'evalsha door:idempotency:{demo:one-trip}',
        // The token correction once the usage is known (not awaited).
        'evalsha door:quota:{demo}:default',
        // The session write, beside the upstream call.
        'set door:session:…',
      ]);
      sent.length = 0;
      const replay = await post('one-trip');
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(await replay.text()).toBe(text);
      expect(requestOnly()).toEqual([admission]);
    });
  });
});
