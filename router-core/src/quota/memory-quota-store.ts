import type { QuotaStore } from './quota-store.ts';
import { adjustWindows, type QuotaWindows, takeFromWindows } from './quota-window.ts';

/**
 * A quota store in this process's memory (one regional replica; tests). Keyed by tenant id and
 * bucket name, both from the config, so no client input adds an entry. JavaScript runs each call
 * to completion, so takes on one tenant never interleave.
 */
export const createMemoryQuotaStore = (
  now: () => number = Date.now,
): QuotaStore & { readonly size: number } => {
  const tenants = new Map<string, QuotaWindows>();
  return {
    async take(tenantId, take) {
      const { verdict, windows } = takeFromWindows(
        tenants.get(tenantId) ?? {},
        take,
        take.now ?? now(),
      );
      if (windows !== undefined) tenants.set(tenantId, windows);
      return verdict;
    },
    async adjust(tenantId, adjust) {
      const windows = tenants.get(tenantId);
      const next = windows === undefined ? undefined : adjustWindows(windows, adjust);
      if (next !== undefined) tenants.set(tenantId, next);
    },
    /** Quota windows held, over all tenants and buckets. */
    get size() {
      let n = 0;
      for (const windows of tenants.values()) n += Object.keys(windows).length;
      return n;
    },
  };
};
