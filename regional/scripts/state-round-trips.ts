/**
 * What the Redis state adds to one front-door request, on loopback: each simulated request makes
 * the round trips a real one makes (quota draw, session read, session write; with
 * `idempotency-key`, claim and complete too) against a throwaway redis-server, one after
 * another as the request does, with `--concurrency` requests at a time. Prints p50 / p99 of the
 * sum per request. The deadline is the config default (50 ms); nothing here fails open.
 *
 *   node regional/scripts/state-round-trips.ts [--n 5000] [--concurrency 1,16]
 */
import { newSession } from '@switchback/router-core';
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

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

const server = await startRedisServer();
const state = await createRedisState({
  kind: 'redis',
  url: server.url,
  timeoutMs: 50,
  keyPrefix: 'bench:',
  breakers: 'local',
});
try {
  let seq = 0;
  const request = async (keyed: boolean): Promise<number> => {
    const i = seq++;
    const started = performance.now();
    await state.quotas.take('bench', { buckets: BUCKET, tokens: 20 });
    const session = `s${i % 1000}`;
    const known = await state.sessions.get(session);
    if (keyed) {
      const key = `bench:k${i}`;
      await state.idempotency.claim(key, { fingerprint: 'f', waitMs: 1_000, runMs: 5_000 });
      await state.idempotency.complete(key, 'f', response);
    }
    await state.sessions.set(session, known ?? newSession());
    return performance.now() - started;
  };
  const run = async (concurrency: number, keyed: boolean) => {
    for (let i = 0; i < 500; i++) await request(keyed);
    const times: number[] = [];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let i = 0; i < Math.ceil(n / concurrency); i++) times.push(await request(keyed));
      }),
    );
    const wall = performance.now() - started;
    times.sort((a, b) => a - b);
    const ms = (v: number) => `${v.toFixed(3)} ms`;
    return `p50 ${ms(quantile(times, 0.5))}  p99 ${ms(quantile(times, 0.99))}  (${Math.round((times.length / wall) * 1000)} requests/s)`;
  };
  console.log(`Redis round trips per request, ${n} requests a row, redis-server ${server.url}`);
  for (const concurrency of levels) {
    console.log(
      `${`quota + session get/set, ${concurrency} at once`.padEnd(52)} ${await run(concurrency, false)}`,
    );
    console.log(
      `${`… + idempotency claim/complete, ${concurrency} at once`.padEnd(52)} ${await run(concurrency, true)}`,
    );
  }
} finally {
  await state.close();
  await server.stop();
}
