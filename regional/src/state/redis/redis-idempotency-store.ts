import {
  IDEMPOTENCY_RETENTION_MS,
  type IdempotencyRecord,
  type IdempotencyStep,
  idempotencyStep,
  type StoredResponse,
} from '@switchback/router-core';
import type { Redis } from 'ioredis';
import type { IdempotencyStore } from '../state-store.ts';
import { LUA_NOW, redisScript } from './redis-script.ts';

/**
 * `idempotency_held(key)`: what the key holds when it holds a finished answer or a live run
 * (state, fingerprint, until, response, the clock), for idempotencyStep to read; nil when it is
 * free. `idempotency_claim(key, fp, run_ms)`: records a run by `fp` until `now + run_ms`. Need
 * `now` (LUA_NOW) in scope; the admission script shares them.
 */
export const LUA_IDEMPOTENCY = `local function idempotency_held(key)
  local h = redis.call('HMGET', key, 'state', 'fp', 'until', 'response')
  if h[1] == 'done' or (h[1] == 'running' and tonumber(h[3]) > now) then
    return {h[1], h[2], h[3] or '', h[4] or '', now}
  end
  return nil
end
local function idempotency_claim(key, fp, run_ms)
  redis.call('DEL', key)
  redis.call('HSET', key, 'state', 'running', 'fp', fp, 'until', now + run_ms)
  redis.call('PEXPIRE', key, run_ms + 1000)
end`;

// Claims the key when it holds no finished answer and no live run (idempotencyStep's `run`),
// else returns what it holds.
const CLAIM = `${LUA_NOW}
${LUA_IDEMPOTENCY}
local held = idempotency_held(KEYS[1])
if held then return held end
idempotency_claim(KEYS[1], ARGV[1], tonumber(ARGV[2]))
return {'claimed'}`;

const COMPLETE = `redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'state', 'done', 'fp', ARGV[1], 'response', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 0`;

const RELEASE = `if redis.call('HGET', KEYS[1], 'state') == 'running' and redis.call('HGET', KEYS[1], 'fp') == ARGV[1] then
  redis.call('DEL', KEYS[1])
end
return 0`;

/** The step for a key `idempotency_held` found held (state, fingerprint, until, response, now). */
export const heldStep = (held: string[], fingerprint: string): IdempotencyStep => {
  const [state, stored = '', until = '', response = '', now = '0'] = held;
  const record: IdempotencyRecord =
    state === 'done'
      ? { state: 'done', fingerprint: stored, response: JSON.parse(response) as StoredResponse }
      : { state: 'running', fingerprint: stored, until: Number(until) };
  return idempotencyStep(record, fingerprint, Number(now));
};

export const idempotencyKey = (prefix: string, key: string): string =>
  `${prefix}idempotency:{${key}}`;

/** A run's bound in whole ms, at least 1 (the record's `until`). */
export const runMsOf = (runMs: number): number => Math.max(1, Math.ceil(runMs));

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Idempotency records in Redis: a duplicate on any replica replays, waits or conflicts. */
export const createRedisIdempotencyStore = (client: Redis, prefix: string): IdempotencyStore => {
  const claim = redisScript(client, CLAIM);
  const complete = redisScript(client, COMPLETE);
  const release = redisScript(client, RELEASE);
  return {
    async claim(key, input) {
      const deadline = Date.now() + input.waitMs;
      // A waiter polls: 20, 40, 80 … 200 ms apart, until the run ends or its wait is over.
      for (let pause = 20; ; pause = Math.min(200, pause * 2)) {
        const reply = (await claim(
          [idempotencyKey(prefix, key)],
          [input.fingerprint, runMsOf(input.runMs)],
        )) as string[];
        if (reply[0] === 'claimed') return { kind: 'run' };
        const step = heldStep(reply, input.fingerprint);
        if (step.kind !== 'wait') return step;
        const left = deadline - Date.now();
        if (left <= 0) return { kind: 'in_progress' };
        await sleep(Math.min(pause, left));
      }
    },
    async complete(key, fingerprint, response) {
      await complete(
        [idempotencyKey(prefix, key)],
        [fingerprint, JSON.stringify(response), IDEMPOTENCY_RETENTION_MS],
      );
    },
    async release(key, fingerprint) {
      await release([idempotencyKey(prefix, key)], [fingerprint]);
    },
  };
};
