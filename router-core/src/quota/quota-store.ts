import type { QuotaAdjust, QuotaTake, QuotaVerdict } from './quota-window.ts';

/**
 * Where a door keeps its tenants' quota windows: a Durable Object per tenant at the edge, memory
 * (one replica) or Redis at regional. Each call on one tenant runs alone, so `take` is exact: a
 * burst is admitted up to the limit and not one request more. The arithmetic is router-core's
 * (`takeFromWindows`, `adjustWindows`); a store only keeps the windows between calls.
 */
export interface QuotaStore {
  /** One request and `tokens` from every bucket of `take`, all or none. */
  take(tenantId: string, take: QuotaTake): Promise<QuotaVerdict>;
  /** Adds to (or, negative, gives back from) the windows of an earlier take. */
  adjust(tenantId: string, adjust: QuotaAdjust): Promise<void>;
}
