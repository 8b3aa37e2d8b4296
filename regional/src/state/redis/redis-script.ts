import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export type RedisScript = (keys: string[], args: (string | number)[]) => Promise<unknown>;

/**
 * A Lua script run by EVALSHA (its body sent once, by EVAL, when the server does not know it
 * yet): one round trip, and atomic on the server, so concurrent replicas never interleave.
 */
export const redisScript = (client: Redis, lua: string): RedisScript => {
  const sha = createHash('sha1').update(lua).digest('hex');
  return async (keys, args) => {
    try {
      return await client.evalsha(sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return client.eval(lua, keys.length, ...keys, ...args);
    }
  };
};

/** Redis TIME in ms: one clock for every replica (windows, run deadlines). */
export const LUA_NOW = `local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)`;
