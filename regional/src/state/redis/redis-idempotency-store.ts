import {
  IDEMPOTENCY_RETENTION_MS,
  type IdempotencyRecord,
  idempotencyStep,
  type StoredResponse,
} from '@switchback/router-core';
import type { Redis } from 'ioredis';
import type { IdempotencyStore } from '../state-store.ts';
import { LUA_NOW, redisScript } from './redis-script.ts';

// Claims the key when it holds no finished answer and no live run (idempotencyStep's `run`),
// else returns what it holds for idempotencyStep to read: state, fingerprint, until, response.
const CLAIM = `${LUA_NOW}
local h = redis.call('HMGET', KEYS[1], 'state', 'fp', 'until', 'response')
if h[1] == 'done' or (h[1] == 'running' and tonumber(h[3]) > now) then
  return {h[1], h[2], h[3] or '', h[4] or '', now}
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'state', 'running', 'fp', ARGV[1], 'until', now + tonumber(ARGV[2]))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) + 1000)
return {'claimed'}`;

const COMPLETE = `redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'state', 'done', 'fp', ARGV[1], 'response', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 0`;

const RELEASE = `if redis.call('HGET', KEYS[1], 'state') == 'running' and redis.call('HGET', KEYS[1], 'fp') == ARGV[1] then
  redis.call('DEL', KEYS[1])
end
return 0`;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Idempotency records in Redis: a duplicate on any replica replays, waits or conflicts. */
export const createRedisIdempotencyStore = (client: Redis, prefix: string): IdempotencyStore => {
  const claim = redisScript(client, CLAIM);
  const complete = redisScript(client, COMPLETE);
  const release = redisScript(client, RELEASE);
  const keyOf = (key: string) => `${prefix}idempotency:{${key}}`;
  return {
    async claim(key, input) {
      const deadline = Date.now() + input.waitMs;
      // A waiter polls: 20, 40, 80 … 200 ms apart, until the run ends or its wait is over.
      for (let pause = 20; ; pause = Math.min(200, pause * 2)) {
        const runMs = Math.max(1, Math.ceil(input.runMs));
        const reply = (await claim([keyOf(key)], [input.fingerprint, runMs])) as string[];
        if (reply[0] === 'claimed') return { kind: 'run' };
        const [state, fingerprint = '', until = '', response = '', now = '0'] = reply;
        const record: IdempotencyRecord =
          state === 'done'
            ? { state, fingerprint, response: JSON.parse(response) as StoredResponse }
            : { state: 'running', fingerprint, until: Number(until) };
        const step = idempotencyStep(record, input.fingerprint, Number(now));
        if (step.kind !== 'wait') return step;
        const left = deadline - Date.now();
        if (left <= 0) return { kind: 'in_progress' };
        await sleep(Math.min(pause, left));
      }
    },
    async complete(key, fingerprint, response) {
      await complete(
        [keyOf(key)],
        [fingerprint, JSON.stringify(response), IDEMPOTENCY_RETENTION_MS],
      );
    },
    async release(key, fingerprint) {
      await release([keyOf(key)], [fingerprint]);
    },
  };
};
