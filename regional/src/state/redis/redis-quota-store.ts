import {
  QUOTA_WINDOW_MS,
  type QuotaStore,
  type QuotaTake,
  type QuotaVerdict,
  type QuotaWindows,
  takeFromWindows,
} from '@switchback/router-core';
import type { Redis } from 'ioredis';
import { LUA_NOW, redisScript } from './redis-script.ts';

/**
 * `quota_take(k0, n, a0)`: draws from the buckets KEYS[k0+1 .. k0+n] with ARGV[a0+1] (a clock
 * to use instead of Redis's, or ''), ARGV[a0+2] (tokens) and then each bucket's request and token
 * limits. One hash per tenant and bucket: s (window start), r (requests), t (tokens), as
 * QuotaWindow. Returns taken (1/0), the clock, then each bucket's s, r, t before the take (-1:
 * none), so the verdict is router-core's takeFromWindows over the same windows the script decided
 * on. Needs `now` (LUA_NOW) in scope; the admission script shares it.
 */
export const LUA_QUOTA_TAKE = `local function quota_take(k0, n, a0)
  local at = now
  if ARGV[a0 + 1] ~= '' then at = tonumber(ARGV[a0 + 1]) end
  local start = at - (at % ${QUOTA_WINDOW_MS})
  local tokens = tonumber(ARGV[a0 + 2])
  local out = {0, at}
  local taken = 1
  for i = 1, n do
    local w = redis.call('HMGET', KEYS[k0 + i], 's', 'r', 't')
    local s = tonumber(w[1]) or -1
    local r = tonumber(w[2]) or 0
    local t = tonumber(w[3]) or 0
    out[#out + 1] = s
    out[#out + 1] = r
    out[#out + 1] = t
    if s ~= start then r = 0 t = 0 end
    if r + 1 > tonumber(ARGV[a0 + 1 + 2 * i]) or t + tokens > tonumber(ARGV[a0 + 2 + 2 * i]) then taken = 0 end
  end
  if taken == 1 then
    for i = 1, n do
      local key = KEYS[k0 + i]
      if out[3 * i] == start then
        redis.call('HINCRBY', key, 'r', 1)
        redis.call('HINCRBY', key, 't', tokens)
      else
        redis.call('HSET', key, 's', start, 'r', 1, 't', tokens)
      end
      redis.call('PEXPIRE', key, start + 2 * ${QUOTA_WINDOW_MS} - at)
    end
  end
  out[1] = taken
  return out
end`;

const TAKE = `${LUA_NOW}
${LUA_QUOTA_TAKE}
return quota_take(0, #KEYS, 0)`;

// Adds ARGV[2] requests and ARGV[3] tokens (floored at 0) where the window is still ARGV[1].
const ADJUST = `for _, key in ipairs(KEYS) do
  if tonumber(redis.call('HGET', key, 's')) == tonumber(ARGV[1]) then
    local r = math.max(0, tonumber(redis.call('HGET', key, 'r')) + tonumber(ARGV[2]))
    local t = math.max(0, tonumber(redis.call('HGET', key, 't')) + tonumber(ARGV[3]))
    redis.call('HSET', key, 'r', r, 't', t)
  end
end
return 0`;

/** A take's keys and arguments for `quota_take`, in its order. */
export const quotaTakeCall = (
  keyOf: (bucket: string) => string,
  take: QuotaTake,
): { keys: string[]; args: (string | number)[] } => ({
  keys: take.buckets.map((b) => keyOf(b.name)),
  args: [take.now ?? '', take.tokens, ...take.buckets.flatMap((b) => [b.requests, b.tokens])],
});

/** The verdict of `quota_take`'s reply: router-core's arithmetic over the windows it saw. */
export const quotaTakeVerdict = (reply: number[], take: QuotaTake): QuotaVerdict => {
  const [taken, now = 0] = reply;
  const windows: QuotaWindows = {};
  take.buckets.forEach((bucket, i) => {
    const [start = -1, requests = 0, tokens = 0] = reply.slice(2 + 3 * i, 5 + 3 * i);
    if (start !== -1) windows[bucket.name] = { start, requests, tokens };
  });
  const { verdict } = takeFromWindows(windows, take, now);
  if (verdict.ok !== (taken === 1)) {
    throw new Error('The quota script and takeFromWindows disagree; refusing to guess.');
  }
  return verdict;
};

/** A hash tag per tenant keeps one tenant's windows in one slot (Redis Cluster, Valkey). */
export const quotaKey = (prefix: string, tenantId: string, bucket: string): string =>
  `${prefix}quota:{${tenantId}}:${bucket}`;

/**
 * Tenant quota windows in Redis, exact across replicas: each take is one script (one round
 * trip) that checks and draws every bucket of the take at once, on Redis's clock.
 */
export const createRedisQuotaStore = (client: Redis, prefix: string): QuotaStore => {
  const take = redisScript(client, TAKE);
  const adjust = redisScript(client, ADJUST);
  return {
    async take(tenantId, request) {
      const call = quotaTakeCall((bucket) => quotaKey(prefix, tenantId, bucket), request);
      return quotaTakeVerdict((await take(call.keys, call.args)) as number[], request);
    },
    async adjust(tenantId, change) {
      await adjust(
        change.buckets.map((name) => quotaKey(prefix, tenantId, name)),
        [change.windowStart, change.requests, change.tokens],
      );
    },
  };
};
