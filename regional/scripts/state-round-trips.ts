/**
 * What the Redis state adds to one front-door request, on loopback: each simulated request makes
 * the calls a real one makes, in the order and overlap regional makes them (the quota draw and
 * the session read together, then, once answered, the session write; with `idempotency-key`, the
 * claim before the answer and the completion after it), against a throwaway redis-server, with
 * `--concurrency` requests at a time; then the audit append, after the answer. Prints p50 / p99
 * per concern, of each request's path (the wait the state adds before the client has its
 * answer) and of a bare PING at the same concurrency (the floor), beside the same calls one after
 * another (the shape before the quota and the session read were overlapped), the two shapes in
 * alternating turns, with the load average beside each row. Nothing here fails open; the
 * deadline is 1 s unless `--deadline-ms` says otherwise.
 *
 *   node regional/scripts/state-round-trips.ts [--n 5000] [--concurrency 1,16] [--deadline-ms N]
 */
import { loadavg } from 'node:os';
import { affinityKey, createAuditLog, newSession } from '@switchback/router-core';
import { createRedisState } from '../src/state/redis/redis-state.ts';
import { startRedisServer } from '../src/state/testing/redis-server.ts';

const arg = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : (process.argv[at + 1] ?? fallback);
};
const n = Number(arg('n', '5000'));
const levels = arg('concurrency', '1,16').split(',').map(Number);
const BUCKET = [{ name: 'default', requests: 1_000_000_000, tokens: 1_000_000_000_000 }];
const response = { status: 200, headers: [] as [string, string][], body: '{"id":"x"}' };
const TENANTS = ['t0', 't1', 't2', 't3'];
// Longer than the config default (50 ms): on a loaded machine 16 at once can lag past 50 ms, and
// a bench that stops on a deadline measures nothing.
const DEADLINE_MS = Number(arg('deadline-ms', '1000'));

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

const server = await startRedisServer();
const state = await createRedisState({
  kind: 'redis',
  url: server.url,
  timeoutMs: DEADLINE_MS,
  keyPrefix: 'bench:',
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

type Shape = 'overlapped' | 'sequential';
const PING = 'PING alone (the floor: a round trip, no work)';
const FIRST_BYTE = 'added to a request (quota ∥ get; set beside it)';
type Times = Map<string, number[]>;

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
    const take = () => state.quotas.take(tenant, { buckets: BUCKET, tokens: 20 });
    const read = () => state.sessions.get(sessionId);
    const path = async () => {
      // A request waits only for these two: its session write rides beside the upstream call.
      const [, known] =
        shape === 'overlapped'
          ? await timed(FIRST_BYTE, () =>
              Promise.all([timed('quota take', take), timed('session get', read)]),
            )
          : [await timed('quota take', take), await timed('session get', read)];
      const key = `bench:${tenant}:k${i}`;
      if (keyed) {
        await timed('idempotency claim', () =>
          state.idempotency.claim(key, { fingerprint: 'f', waitMs: 1_000, runMs: 5_000 }),
        );
      }
      await timed('session set', () => state.sessions.set(sessionId, known ?? newSession()));
      if (keyed) {
        await timed('idempotency complete', () => state.idempotency.complete(key, 'f', response));
      }
    };
    await timed('request path', path);
    await timed('audit append (after the answer)', () =>
      audit.append({
        type: 'request',
        ts: new Date().toISOString(),
        request_id: `r${i}`,
        tenant,
        outcome: 'ok',
      }),
    );
  };
  /** Both shapes in turns of 250 requests each, so a burst of load on the machine lands on both. */
  const run = async (concurrency: number, keyed: boolean): Promise<Record<Shape, Times>> => {
    const warm: Times = new Map();
    for (let i = 0; i < 300; i++) await request('overlapped', keyed, warm);
    for (let i = 0; i < 300; i++) await request('sequential', keyed, warm);
    const times: Record<Shape, Times> = { overlapped: new Map(), sequential: new Map() };
    const turn = 250;
    for (let done = 0; done < n; done += turn) {
      for (const shape of ['overlapped', 'sequential'] as const) {
        await Promise.all(
          Array.from({ length: concurrency }, async () => {
            for (let i = 0; i < Math.ceil(turn / concurrency); i++) {
              await request(shape, keyed, times[shape]);
            }
          }),
        );
      }
      // The floor at this load: one round trip that does nothing, at the same concurrency.
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          for (let i = 0; i < Math.ceil(turn / concurrency); i++) {
            const started = performance.now();
            await state.client.ping();
            const list = times.overlapped.get(PING) ?? [];
            list.push(performance.now() - started);
            times.overlapped.set(PING, list);
          }
        }),
      );
    }
    return times;
  };
  const ms = (v: number) => `${v.toFixed(3)} ms`.padStart(10);
  const load = () =>
    `load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`;
  console.log(`Redis round trips per front-door request, ${n} requests a row, ${server.url}`);
  for (const concurrency of levels) {
    for (const keyed of [false, true]) {
      const label = `${concurrency} at once${keyed ? ', with idempotency-key' : ''}`;
      const { overlapped, sequential } = await run(concurrency, keyed);
      console.log(`\n${label} (${load()})${''.padEnd(4)}p50        p99`);
      for (const [name, list] of overlapped) {
        list.sort((a, b) => a - b);
        const row = name === 'request path' ? 'request path (quota ∥ session get, then set)' : name;
        console.log(`  ${row.padEnd(46)}${ms(quantile(list, 0.5))} ${ms(quantile(list, 0.99))}`);
      }
      const before = (sequential.get('request path') ?? []).sort((a, b) => a - b);
      console.log(
        `  ${'request path, the same calls in sequence'.padEnd(46)}${ms(quantile(before, 0.5))} ${ms(quantile(before, 0.99))}`,
      );
    }
  }
} finally {
  await audit.flush();
  await state.close();
  await server.stop();
}
