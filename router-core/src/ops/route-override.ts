import type { ForcedRoute } from '../routing/forced-route.ts';

export type { ForcedRoute };

/** A forced route in force: for whom, by whom, until when (epoch ms). */
export type RouteOverride = ForcedRoute & {
  tenant: string;
  operator: string;
  expiresAt: number;
};

/** Where a door keeps its tenants' forced routes (at most one a tenant; a new one replaces it). */
export interface RouteOverrideStore {
  /** The tenant's override at `now`, or undefined (none, or expired). */
  get(tenantId: string, now: number): Promise<RouteOverride | undefined>;
  set(override: RouteOverride): Promise<void>;
}

/** One line for a policy trace or a log: `force_tier:regional by ops-alice until <iso>`. */
export const describeOverride = (o: RouteOverride): string =>
  `${o.kind}:${o.kind === 'force_tier' ? o.tier : o.model} by ${o.operator} until ${new Date(o.expiresAt).toISOString()}`;

/** Forced routes in memory (one process; regional as one replica, tests). */
export const createMemoryOverrideStore = (): RouteOverrideStore & { readonly size: number } => {
  const byTenant = new Map<string, RouteOverride>();
  return {
    get size() {
      return byTenant.size;
    },
    async get(tenantId, now) {
      const override = byTenant.get(tenantId);
      if (override === undefined) return undefined;
      if (override.expiresAt <= now) {
        byTenant.delete(tenantId);
        return undefined;
      }
      return override;
    },
    async set(override) {
      byTenant.set(override.tenant, override);
    },
  };
};
