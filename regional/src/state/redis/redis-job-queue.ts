import type { SealedJob } from '@switchback/router-core';
import type { Redis } from 'ioredis';
import { jobKey, type SharedJobQueue } from '../../background/shared-job-queue.ts';
import { LUA_NOW, redisScript } from './redis-script.ts';

// KEYS: queue, running (zset: key → lease deadline), owners (hash: key → owner).
const CLAIM = `${LUA_NOW}
local key = redis.call('LPOP', KEYS[1])
if not key then return false end
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), key)
redis.call('HSET', KEYS[3], key, ARGV[1])
return key`;

// KEYS: running, owners. ARGV: key, owner, leaseMs.
const RENEW = `if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
${LUA_NOW}
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[3]), ARGV[1])
return 1`;

// KEYS: running, owners, queue. ARGV: key, owner, requeue (1: put back first in the queue).
const DROP = `if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
if ARGV[3] == '1' then redis.call('LPUSH', KEYS[3], ARGV[1]) end
return 1`;

// KEYS: queue, running, owners.
const RECLAIM = `${LUA_NOW}
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
for _, key in ipairs(expired) do
  redis.call('ZREM', KEYS[2], key)
  redis.call('HDEL', KEYS[3], key)
  redis.call('RPUSH', KEYS[1], key)
end
return #expired`;

/** A job's data and its cancel flag outlive any run: a day. */
const JOB_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * The deployment's background jobs in Redis (under its key prefix): a list of queued keys, a
 * sorted set of running keys by lease deadline (Redis's clock, one for every replica) with their
 * owners in a hash, each job's data at `bg:job:<key>` and its cancel flag at `bg:cancel:<key>`.
 * The data is the sealed job: the caller's tenant and key id, never a key (`JobSigner`).
 */
export const createRedisJobQueue = (client: Redis, prefix: string): SharedJobQueue => {
  const queue = `${prefix}bg:queue`;
  const running = `${prefix}bg:running`;
  const owners = `${prefix}bg:owners`;
  const data = (key: string) => `${prefix}bg:job:${key}`;
  const flag = (key: string) => `${prefix}bg:cancel:${key}`;
  const claim = redisScript(client, CLAIM);
  const renew = redisScript(client, RENEW);
  const drop = redisScript(client, DROP);
  const reclaim = redisScript(client, RECLAIM);
  return {
    async push(job) {
      const key = jobKey(job.tenantId, job.queued.id);
      await client.set(data(key), JSON.stringify(job), 'PX', JOB_TTL_MS);
      await client.rpush(queue, key);
    },
    async claim(owner, leaseMs) {
      const key = await claim([queue, running, owners], [owner, leaseMs]);
      if (typeof key !== 'string') return undefined;
      const json = await client.get(data(key));
      return { key, job: json === null ? undefined : (JSON.parse(json) as SealedJob) };
    },
    async renew(key, owner, leaseMs) {
      return (await renew([running, owners], [key, owner, leaseMs])) === 1;
    },
    async finish(key, owner) {
      if ((await drop([running, owners, queue], [key, owner, 0])) === 1) {
        await client.del(data(key), flag(key));
      }
    },
    async release(key, owner) {
      await drop([running, owners, queue], [key, owner, 1]);
    },
    async reclaim() {
      return Number(await reclaim([queue, running, owners], []));
    },
    async cancel(tenantId, id) {
      await client.set(flag(jobKey(tenantId, id)), '1', 'PX', JOB_TTL_MS);
    },
    async cancelled(key) {
      return (await client.exists(flag(key))) === 1;
    },
  };
};
