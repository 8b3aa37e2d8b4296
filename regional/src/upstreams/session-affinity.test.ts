import { type Simulator, startSimulator } from '@switchback/loadtests/sim';
import type { RouteTarget } from '@switchback/router-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBreakers } from '../resilience/breaker-registry.ts';
import { type RegionalServer, startRegionalServer } from '../start-regional-server.ts';
import { simControl, total } from '../testing/sim-control.ts';
import { TEST_KEY, testConfig } from '../testing/test-config.ts';
import { createUpstreams } from './upstreams.ts';

const BACKENDS = [
  'http://10.0.0.1:8000/v1',
  'http://10.0.0.2:8000/v1',
  'http://10.0.0.3:8000/v1',
  'http://10.0.0.4:8000/v1',
];
const SESSIONS = 1000;

const poolConfig = (backends: string[]) => {
  const config = testConfig('http://127.0.0.1:1');
  return {
    ...config,
    // A backend marked down stays down for the whole test (no half-open probe comes back).
    breaker: { ...config.breaker, resetTimeoutMs: 60_000 },
    providers: config.providers.map((p) => (p.id === 'vllm' ? { ...p, backends } : p)),
  };
};

describe('rendezvous affinity over a pool of backends', () => {
  const config = poolConfig(BACKENDS);
  const breakers = createBreakers(config.breaker);
  const upstreams = createUpstreams(config, {}, breakers);
  const qwen = config.models.find((m) => m.id === 'qwen');
  const vllm = config.providers.find((p) => p.id === 'vllm');
  if (!qwen || !vllm) throw new Error('test config lacks qwen on vllm');
  const target: RouteTarget = { model: qwen, provider: vllm };
  const assign = () =>
    Array.from(
      { length: SESSIONS },
      (_, i) => upstreams.pick(target, `session-${i}`).backend.label,
    );
  afterAll(() => {
    upstreams.close();
    breakers.shutdown();
  });

  it(`${SESSIONS} sessions stay on their backend, spread over all four`, () => {
    const first = assign();
    expect(assign()).toEqual(first);
    const counts = new Map<string, number>();
    for (const label of first) counts.set(label, (counts.get(label) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(['0', '1', '2', '3']);
    // Rendezvous hashing spreads evenly: every backend within ±30 % of its fair share.
    for (const count of counts.values()) expect(Math.abs(count - SESSIONS / 4)).toBeLessThan(75);
  });

  it('marking one backend unhealthy moves only its sessions, and they come back when it recovers', () => {
    const before = assign();
    const down = { provider: 'vllm', model: 'qwen', backend: '2' };
    breakers.open(down);
    const during = assign();
    for (let i = 0; i < SESSIONS; i++) {
      if (before[i] === '2') expect(during[i]).not.toBe('2');
      else expect(during[i]).toBe(before[i]);
    }
    // The moved sessions spread over the three others rather than piling onto one.
    const moved = new Set(during.filter((_, i) => before[i] === '2'));
    expect(moved.size).toBe(3);
    breakers.close(down);
    expect(assign()).toEqual(before);
  });
});

describe('affinity end to end: four simulated vLLM replicas behind one provider', () => {
  let sims: Simulator[];
  let server: RegionalServer;
  beforeAll(async () => {
    sims = await Promise.all(
      Array.from({ length: 4 }, () => startSimulator({ port: 0, tokens: 4 })),
    );
    const config = poolConfig(sims.map((s) => `${s.url}/compat/v1`));
    server = await startRegionalServer({ config, port: 0, env: {} });
  });
  afterAll(async () => {
    await server.close();
    await Promise.all(sims.map((s) => s.close()));
  });

  /** Which replica served each of a session's requests. */
  const serve = async (session: string, requests: number): Promise<number[]> => {
    const served: number[] = [];
    for (let i = 0; i < requests; i++) {
      const before = await Promise.all(
        sims.map(async (s) => total(await simControl(s.url).stats(), 'calls')),
      );
      const response = await fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${TEST_KEY}`,
          'content-type': 'application/json',
          'x-session-affinity': session,
        },
        body: JSON.stringify({ model: 'qwen', messages: [{ role: 'user', content: `turn ${i}` }] }),
      });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
      const after = await Promise.all(
        sims.map(async (s) => total(await simControl(s.url).stats(), 'calls')),
      );
      served.push(after.findIndex((calls, j) => calls !== before[j]));
    }
    return served;
  };

  it('each session keeps hitting one replica; a replica marked unhealthy loses only its own sessions', async () => {
    const home = new Map<string, number>();
    for (let s = 0; s < 16; s++) {
      const served = await serve(`user-${s}`, 3);
      expect(new Set(served).size).toBe(1);
      home.set(`user-${s}`, served[0] ?? -1);
    }
    expect(new Set(home.values()).size).toBeGreaterThan(1);

    const victim = home.get('user-0') ?? 0;
    server.regional.breakers.open({ provider: 'vllm', model: 'qwen', backend: String(victim) });
    for (const [session, replica] of home) {
      const [now] = await serve(session, 1);
      if (replica === victim) expect(now).not.toBe(victim);
      else expect(now).toBe(replica);
    }
  }, 30_000);
});
