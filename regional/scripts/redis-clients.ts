/**
 * Which Redis client regional uses, by measurement: loopback round trips (p50 / p99) of ioredis
 * and node-redis against one throwaway redis-server, sequential (one request's draws) and 50 at
 * once (a busy replica). Prints a table; decides nothing by itself.
 *
 *   node regional/scripts/redis-clients.ts [--n 20000]
 */
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { startRedisServer } from '../src/state/testing/redis-server.ts';

const n = Number(process.argv[process.argv.indexOf('--n') + 1] || 20_000);
const SCRIPT = "return redis.call('INCR', KEYS[1])";

const quantile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

type Call = () => Promise<unknown>;

const measure = async (call: Call, concurrency: number): Promise<string> => {
  for (let i = 0; i < 2_000; i++) await call();
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
  const ms = (v: number) => `${(v * 1000).toFixed(0)} µs`;
  return `p50 ${ms(quantile(times, 0.5))}  p99 ${ms(quantile(times, 0.99))}  ${Math.round((times.length / wall) * 1000)}/s`;
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
  console.log(`redis-server ${server.url}, ${n} calls a row`);
  for (const concurrency of [1, 50]) {
    for (const [name, call] of rows) {
      console.log(
        `${`${name}, ${concurrency} at once`.padEnd(44)} ${await measure(call, concurrency)}`,
      );
    }
  }
  io.disconnect();
  ioAuto.disconnect();
  await nr.quit();
} finally {
  await server.stop();
}
