import type { RouterConfig, RouteTarget } from '@switchback/router-core';
import { createProvider, type Env, type ManagedProvider } from '../providers/create-provider.ts';
import type { BreakerKey, Breakers } from '../resilience/breaker-registry.ts';
import { pickBackend } from './backend-pool.ts';

/** One base URL of a provider, with its own adapter (and so its own connection pool). */
export type Backend = {
  /** `0`, `1`, …: the position in `backends` (a single `baseUrl` is backend `0`). */
  label: string;
  url: string | undefined;
  provider: ManagedProvider;
};

export type Upstreams = {
  backends(providerId: string): readonly Backend[];
  /** The backend to call for `target` now, keyed by session (or request) for stickiness. */
  pick(target: RouteTarget, key: string): { backend: Backend; breaker: BreakerKey };
  /** Whether any backend of `target` would take a call now. */
  available(target: RouteTarget): boolean;
  /** Closes every backend's connections. */
  close(): void;
};

/** Adapters for every provider and backend in the config, and breakers for each model on them. */
export const createUpstreams = (config: RouterConfig, env: Env, breakers: Breakers): Upstreams => {
  const byProvider = new Map<string, Backend[]>();
  for (const provider of config.providers) {
    const urls: (string | undefined)[] = provider.backends ?? [provider.baseUrl];
    byProvider.set(
      provider.id,
      urls.map((url, i) => ({
        label: String(i),
        url,
        provider: createProvider(provider, env, url),
      })),
    );
  }
  // Every breaker exists from boot, so `/metrics` and `/healthz` list them before any traffic.
  for (const model of config.models) {
    for (const backend of byProvider.get(model.provider) ?? []) {
      breakers.state({ provider: model.provider, model: model.id, backend: backend.label });
    }
  }

  const backendsOf = (providerId: string): Backend[] => {
    const backends = byProvider.get(providerId);
    if (!backends || backends.length === 0) throw new Error(`unknown provider "${providerId}"`);
    return backends;
  };
  const keyOf = (target: RouteTarget, backend: string): BreakerKey => ({
    provider: target.provider.id,
    model: target.model.id,
    backend,
  });

  return {
    backends: backendsOf,
    pick(target, key) {
      const backends = backendsOf(target.provider.id);
      let backend = backends[0] as Backend;
      if (backends.length > 1) {
        // Hashed by URL, not position, so reordering or growing the pool moves few sessions.
        const byIdentity = new Map(backends.map((b) => [b.url ?? b.label, b]));
        const chosen = pickBackend(key, [...byIdentity.keys()], (identity) => {
          const candidate = byIdentity.get(identity);
          return candidate !== undefined && breakers.admits(keyOf(target, candidate.label));
        });
        backend = (chosen === undefined ? undefined : byIdentity.get(chosen)) ?? backend;
      }
      return { backend, breaker: keyOf(target, backend.label) };
    },
    available: (target) =>
      backendsOf(target.provider.id).some((b) => breakers.admits(keyOf(target, b.label))),
    close() {
      for (const backends of byProvider.values()) for (const b of backends) b.provider.close();
    },
  };
};
