/**
 * Which Redis client regional uses, by measurement: loopback round trips (p50 / p99) of ioredis
 * and node-redis against one throwaway redis-server, sequential (one request's draws) and 50 at
 * once (a busy replica). The rows run interleaved, `--rounds` times, each round in another
 * order, and each figure is the median over the rounds, so a burst of load from elsewhere on the
 * machine does not land on one client only. Prints a table; decides nothing by itself.
 *
 *   node regional/scripts/redis-clients.ts [--n 10000] [--rounds 5]
 */
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { startRedisServer } from '../src/state/testing/redis-server.ts';

const flag = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const n = flag('n', 10_000);
const rounds = flag('rounds', 5);
const SCRIPT = "return redis.call('INCR', KEYS[1])";

type Call = () => Promise<unknown>;
type Figures = { p50: number; p99: number; rate: number };

const quantile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

const median = (values: number[]): number =>
  quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );

const measure = async (call: Call, concurrency: number): Promise<Figures> => {
  for (let i = 0; i < 1_000; i++) await call();
  const times: number[] = [];
  const started = performance.now();
  const worker = async (count: number) => {
    for (let i = 0; i < count; i++) {
      const t = performance.now();
      await call();
      times.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, () => worker(Math.ceil(n / concurrency))));
  const wall = performance.now() - started;
  times.sort((a, b) => a - b);
  return {
    p50: quantile(times, 0.5),
    p99: quantile(times, 0.99),
    rate: (times.length / wall) * 1000,
  };
};

const server = await startRedisServer();
try {
  const io = new Redis(server.url, { enableAutoPipelining: false });
  const ioAuto = new Redis(server.url, { enableAutoPipelining: true });
  io.defineCommand('bump', { numberOfKeys: 1, lua: SCRIPT });
  ioAuto.defineCommand('bump', { numberOfKeys: 1, lua: SCRIPT });
  const nr = createClient({ url: server.url });
  await nr.connect();
  const sha = await nr.scriptLoad(SCRIPT);
  type Bump = { bump(key: string): Promise<unknown> };
  const rows: [string, Call][] = [
    ['ioredis GET', () => io.get('k')],
    ['ioredis EVALSHA', () => (io as unknown as Bump).bump('c')],
    ['ioredis auto-pipelined EVALSHA', () => (ioAuto as unknown as Bump).bump('c')],
    ['node-redis GET', () => nr.get('k')],
    ['node-redis EVALSHA', () => nr.evalSha(sha, { keys: ['c'] })],
  ];
  console.log(
    `redis-server ${server.url}, ${n} calls a row, median of ${rounds} interleaved rounds`,
  );
  for (const concurrency of [1, 50]) {
    const results = rows.map((): Figures[] => []);
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < rows.length; k++) {
        const index = (k + round) % rows.length;
        const call = rows[index]?.[1];
        if (call !== undefined) results[index]?.push(await measure(call, concurrency));
      }
    }
    rows.forEach(([name], index) => {
      const figures = results[index] ?? [];
      const us = (pick: (f: Figures) => number) =>
        `${(median(figures.map(pick)) * 1000).toFixed(0)} µs`;
      const rate = Math.round(median(figures.map((f) => f.rate)));
      console.log(
        `${`${name}, ${concurrency} at once`.padEnd(44)} p50 ${us((f) => f.p50)}  p99 ${us((f) => f.p99)}  ${rate}/s`,
      );
    });
  }
  io.disconnect();
  ioAuto.disconnect();
  await nr.quit();
} finally {
  await server.stop();
}
