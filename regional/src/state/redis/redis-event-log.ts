import type { ResponseEventLog, SequencedEvent } from '@switchback/router-core';
import type { Redis } from 'ioredis';

/**
 * Background responses' stream events in Redis, a list per tenant and id beside the response
 * (`response-events:{<tenant>}:<id>`), expiring with it; events are numbered from 0 with no
 * gap, so the ones after `n` start at index `n + 1`.
 */
export const createRedisEventLog = (client: Redis, prefix: string): ResponseEventLog => {
  const keyOf = (tenantId: string, id: string) => `${prefix}response-events:{${tenantId}}:${id}`;
  return {
    async append(tenantId, id, events, ttlMs) {
      if (events.length === 0) return;
      const key = keyOf(tenantId, id);
      await client
        .multi()
        .rpush(key, ...events.map((event) => JSON.stringify(event)))
        .pexpire(key, Math.max(1, ttlMs))
        .exec();
    },
    async after(tenantId, id, after) {
      const items = await client.lrange(keyOf(tenantId, id), Math.max(0, after + 1), -1);
      return items.map((item) => JSON.parse(item) as SequencedEvent);
    },
  };
};
