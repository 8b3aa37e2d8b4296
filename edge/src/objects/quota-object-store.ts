import { type QuotaStore, tenantScopedName } from '@switchback/router-core';

/**
 * The quota store of the edge: one `QuotaObject` per tenant (its name is the tenant's), reached
 * through its RPC stub. Kept apart from the class so the app loads without `cloudflare:workers`
 * (the plain-Node policy bench).
 */
export const durableQuotaStore = (quotas: Env['QUOTAS']): QuotaStore => {
  const of = (tenantId: string) => quotas.getByName(tenantScopedName(tenantId, 'quota'));
  return {
    take: (tenantId, take) => of(tenantId).take(take),
    adjust: (tenantId, adjust) => of(tenantId).adjust(adjust),
  };
};
