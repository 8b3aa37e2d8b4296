import type { KeptResponse, ResponseStore } from '@switchback/router-core';
import type { Redis } from 'ioredis';

const isKept = (value: unknown): value is KeptResponse => {
  if (typeof value !== 'object' || value === null) return false;
  const k = value as Record<string, unknown>;
  return (
    typeof k.tenantId === 'string' &&
    typeof k.response === 'object' &&
    k.response !== null &&
    Array.isArray(k.inputItems) &&
    Array.isArray(k.history) &&
    typeof k.expiresAt === 'number'
  );
};

/**
 * Stored responses in Redis, one key per tenant and id (`response:{<tenant>}:<id>`, the tenant a
 * hash tag), expiring with the response (PX), so any replica continues any response of the
 * tenant. A value that is not one reads as none, answered 404.
 */
export const createRedisResponseStore = (client: Redis, prefix: string): ResponseStore => {
  const keyOf = (tenantId: string, id: string) => `${prefix}response:{${tenantId}}:${id}`;
  return {
    async get(tenantId, id) {
      const json = await client.get(keyOf(tenantId, id));
      if (json === null) return undefined;
      try {
        const parsed: unknown = JSON.parse(json);
        return isKept(parsed) && parsed.tenantId === tenantId ? parsed : undefined;
      } catch {
        return undefined;
      }
    },
    async put(kept) {
      const ttl = Math.max(1, kept.expiresAt - Date.now());
      await client.set(keyOf(kept.tenantId, kept.response.id), JSON.stringify(kept), 'PX', ttl);
    },
    async delete(tenantId, id) {
      return (await client.del(keyOf(tenantId, id))) > 0;
    },
  };
};
