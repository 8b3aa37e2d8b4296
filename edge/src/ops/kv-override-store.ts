import type { RouteOverride, RouteOverrideStore } from '@switchback/router-core';

/** The KV key of a tenant's forced route, in the config namespace (`CONFIG`). */
export const overrideKvKey = (tenantId: string): string => `override/${tenantId}`;

/** How long an isolate trusts what it read of a tenant's override before asking KV again. */
const CACHE_MS = 10_000;
/** KV refuses an expiry sooner than this; a lapsed value is ignored on read anyway. */
const KV_MIN_TTL_SECONDS = 60;

type Cached = { override: RouteOverride | undefined; readAt: number };

const caches = new WeakMap<KVNamespace, Map<string, Cached>>();

const isOverride = (value: unknown): value is RouteOverride => {
  if (typeof value !== 'object' || value === null) return false;
  const o = value as Record<string, unknown>;
  const route =
    (o.kind === 'force_tier' && (o.tier === 'edge' || o.tier === 'regional')) ||
    (o.kind === 'force_model' && typeof o.model === 'string');
  return (
    route &&
    typeof o.tenant === 'string' &&
    typeof o.operator === 'string' &&
    typeof o.expiresAt === 'number'
  );
};

/**
 * Operators' forced routes at the edge: one KV value per tenant (`override/<tenant>`), read
 * through a per-isolate cache of 10 s, so the hot path seldom waits on KV. The isolate that took
 * the override sees it at once; others within the cache time plus KV's propagation (up to a
 * minute). Expiry is checked on every read; KV also drops the value after it.
 */
export const kvOverrideStore = (
  kv: KVNamespace,
  now: () => number = Date.now,
): RouteOverrideStore => {
  let cache = caches.get(kv);
  if (cache === undefined) {
    cache = new Map();
    caches.set(kv, cache);
  }
  const byTenant = cache;
  const live = (override: RouteOverride | undefined, at: number) =>
    override !== undefined && override.expiresAt > at ? override : undefined;
  return {
    async get(tenantId, at) {
      const cached = byTenant.get(tenantId);
      if (cached !== undefined && now() - cached.readAt < CACHE_MS)
        return live(cached.override, at);
      let override: RouteOverride | undefined;
      try {
        const value: unknown = await kv.get(overrideKvKey(tenantId), 'json');
        override = isOverride(value) ? value : undefined;
      } catch {
        // KV unreadable: the router decides as if no override were set (and asks again later).
        override = cached?.override;
      }
      byTenant.set(tenantId, { override, readAt: now() });
      return live(override, at);
    },
    async set(override) {
      const ttl = Math.max(KV_MIN_TTL_SECONDS, Math.ceil((override.expiresAt - now()) / 1000));
      await kv.put(overrideKvKey(override.tenant), JSON.stringify(override), {
        expirationTtl: ttl,
      });
      byTenant.set(override.tenant, { override, readAt: now() });
    },
  };
};
