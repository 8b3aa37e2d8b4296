import {
  createAuditLog,
  newSession,
  RouterError,
  verifyAuditChains,
} from '@switchback/router-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../../loadtests/src/stack/ports.ts';
import { guardState } from '../guarded-state.ts';
import { createMemoryState } from '../memory-state.ts';
import type { RegionalState, StateFailure } from '../state-store.ts';
import {
  type RedisServer,
  redisServerAvailable,
  startRedisServer,
} from '../testing/redis-server.ts';
import { createRedisAuditHead } from './redis-audit-head.ts';
import { createRedisState } from './redis-state.ts';

const HAVE_REDIS = redisServerAvailable();
const response = { status: 200, headers: [] as [string, string][], body: '{"id":"first"}' };

/** The same behaviour from both stores, as one replica sees it. */
const contract = (name: string, make: () => Promise<RegionalState>) =>
  describe(`${name} state`, () => {
    let state: RegionalState;
    beforeAll(async () => {
      state = await make();
    });
    afterAll(() => state.close());

    it('remembers a session, and knows no other', async () => {
      await state.sessions.set('s1', { ...newSession(), turns: 3 });
      expect(await state.sessions.get('s1')).toEqual({ ...newSession(), turns: 3 });
      expect(await state.sessions.get('s2')).toBeUndefined();
    });

    it('claims a nonce once', async () => {
      expect([await state.nonces.claim('n1'), await state.nonces.claim('n1')]).toEqual([
        true,
        false,
      ]);
    });

    it('an idempotency duplicate waits for the first run and replays it', async () => {
      const input = { fingerprint: 'f', waitMs: 2_000, runMs: 5_000 };
      expect(await state.idempotency.claim('t:k', input)).toEqual({ kind: 'run' });
      const waiting = state.idempotency.claim('t:k', input);
      await state.idempotency.complete('t:k', 'f', response);
      expect(await waiting).toEqual({ kind: 'replay', response });
      expect(await state.idempotency.claim('t:k', { ...input, fingerprint: 'g' })).toEqual({
        kind: 'conflict',
      });
    });

    it('a released run frees the key; a duplicate that waits too long is in_progress', async () => {
      const input = { fingerprint: 'f', waitMs: 60, runMs: 5_000 };
      expect(await state.idempotency.claim('t:r', input)).toEqual({ kind: 'run' });
      expect(await state.idempotency.claim('t:r', input)).toEqual({ kind: 'in_progress' });
      await state.idempotency.release('t:r', 'f');
      expect(await state.idempotency.claim('t:r', input)).toEqual({ kind: 'run' });
    });
  });

contract('memory', async () => guardState(createMemoryState()));

describe.skipIf(!HAVE_REDIS)('redis', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(() => server.stop());

  contract('redis', async () =>
    guardState(
      await createRedisState({
        kind: 'redis',
        url: server.url,
        timeoutMs: 1_000,
        keyPrefix: 'c:',
        breakers: 'local',
      }),
    ),
  );

  it('audit heads per tenant: two replicas appending two tenants make one verified chain each', async () => {
    const config = { kind: 'redis', url: server.url, timeoutMs: 1_000, breakers: 'local' } as const;
    const replicas = await Promise.all(
      [0, 1].map(() => createRedisState({ ...config, keyPrefix: 'a:' })),
    );
    try {
      const logs = replicas.map((replica) =>
        createAuditLog({
          secret: 'audit-secret',
          sink: { write() {} },
          perTenant: true,
          head: replica.auditHead,
        }),
      );
      await Promise.all(
        logs.flatMap((log, r) =>
          Array.from({ length: 20 }, (_, i) =>
            log.append({
              type: 'request',
              ts: '2026-12-03T12:00:00.000Z',
              request_id: `r${r}-${i}`,
              tenant: i % 2 === 0 ? 'acme' : 'globex',
              outcome: 'ok',
            }),
          ),
        ),
      );
      const [first] = replicas;
      if (first === undefined) throw new Error('no replica');
      const head = createRedisAuditHead(first.client, 'a:');
      const lines = [...(await head.lines('acme')), ...(await head.lines('globex'))];
      expect(await verifyAuditChains(lines, 'audit-secret')).toMatchObject({
        ok: true,
        count: 40,
        chains: [
          { chain: 'acme', count: 20, lastSeq: 20 },
          { chain: 'globex', count: 20, lastSeq: 20 },
        ],
      });
      // A move from a head that is no longer the chain's answers where the head is.
      const at = await head.read('acme');
      expect(at?.seq).toBe(20);
      expect(await head.advance('acme', undefined, { seq: 1, hash: 'x' }, 'line')).toEqual({
        moved: false,
        head: at,
      });
    } finally {
      await Promise.all(replicas.map((replica) => replica.close()));
    }
  });

  it('with Redis gone: sessions fail open, nonces fail closed (503), each failure reported', async () => {
    const own = await startRedisServer();
    const state = guardState(
      await createRedisState({
        kind: 'redis',
        url: own.url,
        timeoutMs: 50,
        keyPrefix: '',
        breakers: 'local',
      }),
    );
    const failures: StateFailure[] = [];
    state.failures.listen((f) => failures.push(f));
    await state.sessions.set('s', newSession());
    own.pause();
    // Paused: the call misses its 50 ms deadline.
    expect(await state.sessions.get('s')).toBeUndefined();
    await own.stop();
    const refused = await state.nonces.claim('n').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RouterError);
    expect(refused).toMatchObject({ code: 'upstream_unavailable', retryAfterSeconds: 1 });
    await state.sessions.set('s', newSession());
    expect(failures.map((f) => `${f.concern}/${f.policy}`)).toEqual([
      'sessions/fail_open',
      'nonces/fail_closed',
      'sessions/fail_open',
    ]);
    await expect(
      state.quotas.take('t', { buckets: [{ name: 'default', requests: 1, tokens: 1 }], tokens: 1 }),
    ).rejects.toMatchObject({ name: 'StateUnavailableError', concern: 'quotas' });
    await state.close();
  });

  it('shared breakers: a replica started while Redis was down hears openings once it is back', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const config = {
      kind: 'redis',
      url,
      timeoutMs: 200,
      keyPrefix: 'b:',
      breakers: 'shared',
    } as const;
    const late = await createRedisState(config);
    const heard: unknown[] = [];
    late.breakerBus?.subscribe((key) => heard.push(key));
    const own = await startRedisServer({ port });
    const other = await createRedisState(config);
    try {
      const key = { provider: 'openai', model: 'gpt', backend: '0' };
      for (let i = 0; i < 100 && heard.length === 0; i++) {
        await other.breakerBus?.publish(key);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(heard[0]).toEqual(key);
    } finally {
      await other.close();
      await late.close();
      await own.stop();
    }
  });
});
