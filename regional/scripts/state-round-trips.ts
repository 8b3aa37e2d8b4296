/**
 * What the Redis state adds to one front-door request, on loopback: each simulated request makes
 * the calls a real one makes, against a redis-server (a throwaway one, or `--redis-url`'s), with
 * `--concurrency` requests at a time, in two shapes taken in alternating turns so load lands on
 * both:
 *
 * - one script: what regional does since #19. The admission (quota draw, session read and, with
 *   `idempotency-key`, the claim) is one EVALSHA; the session write rides beside the upstream
 *   call and the stored answer beside the reply, so the request waits for one reply.
 * - separate calls: what it did before. The claim, then the quota draw and the session read side
 *   by side, and the answer stored before the reply went out.
 *
 * Prints p50 / p99 of the wait each shape adds to a request, of each call, of a bare PING at the
 * same concurrency after each pair of turns (the floor: a round trip that does nothing), of a PING
 * one at a time beside each shape's requests (the floor under the same load) and of the audit
 * append after the answer, with the load average, this process's CPUs and nice value; `--markdown` adds the
 * summary as a table. Nothing here fails open; the deadline is 1 s unless `--deadline-ms` says.
 *
 *   node regional/scripts/state-round-trips.ts [--n 5000] [--concurrency 1,16] [--deadline-ms N]
 *     [--redis-url redis://127.0.0.1:18901] [--markdown]
 *
 * For pinned runs start redis-server yourself (`taskset -c 1 redis-server --port 18901 …`) and
 * this script on the other core (`taskset -c 0 node …`).
 */
import { readFileSync } from 'node:fs';
import { getPriority, loadavg } from 'node:os';
import { affinityKey, createAuditLog, newSession } from '@switchback/router-core';
import { createRedisState } from '../src/state/redis/redis-state.ts';
import { type RedisServer, startRedisServer } from '../src/state/testing/redis-server.ts';

const arg = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : (process.argv[at + 1] ?? fallback);
};
const n = Number(arg('n', '5000'));
const levels = arg('concurrency', '1,16').split(',').map(Number);
const external = arg('redis-url', '');
const markdown = process.argv.includes('--markdown');
const BUCKET = [{ name: 'default', requests: 1_000_000_000, tokens: 1_000_000_000_000 }];
const response = { status: 200, headers: [] as [string, string][], body: '{"id":"x"}' };
const TENANTS = ['t0', 't1', 't2', 't3'];
// Longer than the config default (50 ms): on a loaded machine 16 at once can lag past 50 ms, and
// a bench that stops on a deadline measures nothing.
const DEADLINE_MS = Number(arg('deadline-ms', '1000'));

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

const server: RedisServer | undefined = external === '' ? await startRedisServer() : undefined;
const url = server?.url ?? external;
// Keys of this run only, so runs against one server do not meet.
const prefix = `bench:${process.pid}:`;
const state = await createRedisState({
  kind: 'redis',
  url,
  timeoutMs: DEADLINE_MS,
  keyPrefix: prefix,
  breakers: 'local',
});
const audit = createAuditLog({
  secret: 'bench-secret',
  sink: { write() {} },
  perTenant: true,
  ...(state.auditHead === undefined ? {} : { head: state.auditHead }),
});
// The sessions' tenant-namespaced keys, hashed before the rows: the HMAC is not a round trip.
const sessionIds = await Promise.all(
  Array.from({ length: 1000 }, (_, i) =>
    affinityKey(TENANTS[i % TENANTS.length] ?? 't0', `s${i}`, 'bench-affinity'),
  ),
);

const SHAPES = ['one script', 'separate calls'] as const;
type Shape = (typeof SHAPES)[number];
const WAIT = 'the wait it adds to a request';
const PING = 'PING alone (the floor)';
const PING_BESIDE = 'PING beside the requests (one at a time)';
const AUDIT = 'audit append (after the answer)';
type Times = Map<string, number[]>;

const cpus = () =>
  /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '?';
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

try {
  let seq = 0;
  const request = async (shape: Shape, keyed: boolean, times: Times): Promise<void> => {
    const i = seq++;
    const tenant = TENANTS[i % TENANTS.length] ?? 't0';
    const sessionId = sessionIds[i % sessionIds.length] ?? '';
    const timed = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
      const started = performance.now();
      const value = await run();
      const list = times.get(name) ?? [];
      list.push(performance.now() - started);
      times.set(name, list);
      return value;
    };
    const key = `${tenant}:k${i}`;
    const quota = { buckets: BUCKET, tokens: 20 };
    const claim = { fingerprint: 'f', waitMs: 1_000, runMs: 5_000 };
    // What rides beside the upstream call and the reply is sent after the wait is timed.
    const beside: (() => Promise<unknown>)[] = [];
    await timed(WAIT, async () => {
      if (shape === 'one script') {
        const admitted = await timed('admission (one EVALSHA)', () =>
          state.admission.admit({
            tenantId: tenant,
            quota,
            sessionId,
            claim: keyed ? { key, ...claim } : undefined,
          }),
        );
        beside.push(() => state.sessions.set(sessionId, admitted.session ?? newSession()));
        if (keyed) beside.push(() => state.idempotency.complete(key, 'f', response));
        return;
      }
      if (keyed) await timed('idempotency claim', () => state.idempotency.claim(key, claim));
      const [, known] = await timed('quota ∥ session get', () =>
        Promise.all([
          timed('quota take', () => state.quotas.take(tenant, quota)),
          timed('session get', () => state.sessions.get(sessionId)),
        ]),
      );
      beside.push(() => state.sessions.set(sessionId, known ?? newSession()));
      if (keyed) {
        await timed('idempotency complete', () => state.idempotency.complete(key, 'f', response));
      }
    });
    // Off the request's wait, but awaited here so each shape puts the same load on Redis.
    await Promise.all(beside.map((send) => send()));
    await timed(AUDIT, () =>
      audit.append({
        type: 'request',
        ts: new Date().toISOString(),
        request_id: `r${i}`,
        tenant,
        outcome: 'ok',
      }),
    );
  };
  /**
   * Both shapes in short turns (20 requests one at a time, 4 per worker at 16), the floor after
   * each pair: a burst of load on the machine (tens of ms) lands on both, not on one shape's p99.
   */
  const run = async (concurrency: number, keyed: boolean): Promise<Record<Shape, Times>> => {
    const warm: Times = new Map();
    for (const shape of SHAPES) for (let i = 0; i < 300; i++) await request(shape, keyed, warm);
    const times: Record<Shape, Times> = { 'one script': new Map(), 'separate calls': new Map() };
    const turn = Math.max(20, 4 * concurrency);
    const each = Math.ceil(turn / concurrency);
    for (let done = 0; done < n; done += turn) {
      for (const shape of SHAPES) {
        let running = true;
        // One PING at a time beside the requests: a round trip under the same load.
        const probe = (async () => {
          const list = times[shape].get(PING_BESIDE) ?? [];
          times[shape].set(PING_BESIDE, list);
          while (running) {
            const started = performance.now();
            await state.client.ping();
            list.push(performance.now() - started);
          }
        })();
        await Promise.all(
          Array.from({ length: concurrency }, async () => {
            for (let i = 0; i < each; i++) await request(shape, keyed, times[shape]);
          }),
        );
        running = false;
        await probe;
      }
      // The floor at this load: one round trip that does nothing, at the same concurrency.
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          for (let i = 0; i < each; i++) {
            const started = performance.now();
            await state.client.ping();
            const list = times['one script'].get(PING) ?? [];
            list.push(performance.now() - started);
            times['one script'].set(PING, list);
          }
        }),
      );
    }
    return times;
  };
  const ms = (v: number) => `${v.toFixed(3)} ms`.padStart(10);
  const summary: string[] = [];
  const p = (list: number[] | undefined, q: number) =>
    quantile(
      [...(list ?? [])].sort((a, b) => a - b),
      q,
    );
  console.log(
    `Redis round trips per front-door request, ${n} requests a row, ${url}${server === undefined ? '' : ' (started here)'}; this process: CPUs ${cpus()}, nice ${getPriority()}`,
  );
  for (const concurrency of levels) {
    for (const keyed of [false, true]) {
      const label = `${concurrency} at once${keyed ? ', with idempotency-key' : ''}`;
      const times = await run(concurrency, keyed);
      const at = load();
      console.log(`\n${label} (load ${at})${''.padEnd(4)}p50        p99`);
      for (const shape of SHAPES) {
        console.log(`  ${shape}:`);
        for (const [name, list] of times[shape]) {
          const row = name === WAIT ? `${WAIT}` : name;
          console.log(`    ${row.padEnd(44)}${ms(p(list, 0.5))} ${ms(p(list, 0.99))}`);
        }
      }
      const cell = (list: number[] | undefined) =>
        `${p(list, 0.5).toFixed(3)} / ${p(list, 0.99).toFixed(3)}`;
      summary.push(
        `| ${label} | ${cell(times['one script'].get(WAIT))} | ${cell(times['separate calls'].get(WAIT))} | ${cell(times['one script'].get(PING))} | ${cell(times['one script'].get(PING_BESIDE))} | ${at} |`,
      );
    }
  }
  if (markdown) {
    console.log(
      `\nThe wait the state adds to a request, p50 / p99 in ms (CPUs ${cpus()}, nice ${getPriority()}):\n`,
    );
    console.log(
      '| | one script (now) | separate calls (before) | PING alone | PING beside one script | load average |',
    );
    console.log('| --- | --- | --- | --- | --- | --- |');
    for (const line of summary) console.log(line);
  }
} finally {
  await audit.flush();
  await state.close();
  await server?.stop();
}
