import {
  QUOTA_WINDOW_MS,
  type QuotaStore,
  type QuotaWindows,
  takeFromWindows,
} from '@switchback/router-core';
import type { Redis } from 'ioredis';
import { LUA_NOW, redisScript } from './redis-script.ts';

// One hash per tenant and bucket: s (window start), r (requests), t (tokens), as QuotaWindow.
// Returns taken (1/0), the clock, then each bucket's s, r, t before the take (-1: none), so the
// verdict is router-core's takeFromWindows over the same windows the script decided on.
const TAKE = `${LUA_NOW}
if ARGV[1] ~= '' then now = tonumber(ARGV[1]) end
local start = now - (now % ${QUOTA_WINDOW_MS})
local tokens = tonumber(ARGV[2])
local out = {0, now}
local taken = 1
for i, key in ipairs(KEYS) do
  local w = redis.call('HMGET', key, 's', 'r', 't')
  local s = tonumber(w[1]) or -1
  local r = tonumber(w[2]) or 0
  local t = tonumber(w[3]) or 0
  out[#out + 1] = s
  out[#out + 1] = r
  out[#out + 1] = t
  if s ~= start then r = 0 t = 0 end
  if r + 1 > tonumber(ARGV[1 + 2 * i]) or t + tokens > tonumber(ARGV[2 + 2 * i]) then taken = 0 end
end
if taken == 1 then
  for i, key in ipairs(KEYS) do
    if out[3 * i] == start then
      redis.call('HINCRBY', key, 'r', 1)
      redis.call('HINCRBY', key, 't', tokens)
    else
      redis.call('HSET', key, 's', start, 'r', 1, 't', tokens)
    end
    redis.call('PEXPIRE', key, start + 2 * ${QUOTA_WINDOW_MS} - now)
  end
end
out[1] = taken
return out`;

// Adds ARGV[2] requests and ARGV[3] tokens (floored at 0) where the window is still ARGV[1].
const ADJUST = `for _, key in ipairs(KEYS) do
  if tonumber(redis.call('HGET', key, 's')) == tonumber(ARGV[1]) then
    local r = math.max(0, tonumber(redis.call('HGET', key, 'r')) + tonumber(ARGV[2]))
    local t = math.max(0, tonumber(redis.call('HGET', key, 't')) + tonumber(ARGV[3]))
    redis.call('HSET', key, 'r', r, 't', t)
  end
end
return 0`;

/**
 * Tenant quota windows in Redis, exact across replicas: each take is one script (one round
 * trip) that checks and draws every bucket of the take at once, on Redis's clock.
 */
export const createRedisQuotaStore = (client: Redis, prefix: string): QuotaStore => {
  const take = redisScript(client, TAKE);
  const adjust = redisScript(client, ADJUST);
  // A hash tag per tenant keeps one tenant's windows in one slot (Redis Cluster, Valkey).
  const keyOf = (tenantId: string, bucket: string) => `${prefix}quota:{${tenantId}}:${bucket}`;
  return {
    async take(tenantId, request) {
      const limits = request.buckets.flatMap((b) => [b.requests, b.tokens]);
      const reply = (await take(
        request.buckets.map((b) => keyOf(tenantId, b.name)),
        [request.now ?? '', request.tokens, ...limits],
      )) as number[];
      const [taken, now = 0] = reply;
      const windows: QuotaWindows = {};
      request.buckets.forEach((bucket, i) => {
        const [start = -1, requests = 0, tokens = 0] = reply.slice(2 + 3 * i, 5 + 3 * i);
        if (start !== -1) windows[bucket.name] = { start, requests, tokens };
      });
      const { verdict } = takeFromWindows(windows, request, now);
      if (verdict.ok !== (taken === 1)) {
        throw new Error('The quota script and takeFromWindows disagree; refusing to guess.');
      }
      return verdict;
    },
    async adjust(tenantId, change) {
      await adjust(
        change.buckets.map((name) => keyOf(tenantId, name)),
        [change.windowStart, change.requests, change.tokens],
      );
    },
  };
};
