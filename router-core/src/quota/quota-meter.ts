import type { RouterConfig, TenantConfig } from '../config/schema.ts';
import { RouterError } from '../errors/router-error.ts';
import type { ContextTier, Tier } from '../routing/tiers.ts';
import type { QuotaStore } from './quota-store.ts';
import type { QuotaVerdict, RateLimitSnapshot } from './quota-window.ts';
import { tighter } from './quota-window.ts';
import { admissionBucket, type QuotaBucket, routedBuckets } from './request-classes.ts';

/** Prompt tokens, roughly, from the body's size: enough to meter before anything is counted. */
export const estimatePromptTokens = (rawBody: string): number => Math.ceil(rawBody.length / 4);

const UNITS = { requests: 'requests per minute (RPM)', tokens: 'tokens per minute (TPM)' } as const;

const refusal = (verdict: Extract<QuotaVerdict, { ok: false }>, requested: number): RouterError => {
  const wait = Math.max(1, Math.ceil(verdict.retryAfterMs / 1_000));
  return new RouterError(
    'quota_exceeded',
    `Rate limit reached for request class '${verdict.bucket}' on ${UNITS[verdict.exhausted]}: ` +
      `limit ${verdict.limit}, used ${verdict.used}, requested ${verdict.exhausted === 'requests' ? 1 : requested}. ` +
      `Please try again in ${wait}s.`,
    { retryAfterSeconds: verdict.retryAfterMs / 1_000 },
  );
};

export type QuotaMeter = {
  /** The tightest allowance drawn from so far, for `x-ratelimit-*`; none without a quota. */
  readonly snapshot: RateLimitSnapshot | undefined;
  /** Draws from the workflow's class (or `default`); 429 `quota_exceeded` when it is spent. */
  admit(): Promise<void>;
  /**
   * Draws from `long-context` and `regional` where configured and the request is one; on a
   * refusal the admission's draw is given back, so a refused request costs nothing.
   */
  route(routed: { contextTier: ContextTier; tier: Tier }): Promise<void>;
  /** Charges the completion's tokens beyond the estimate to every bucket drawn from. */
  account(usage: { total_tokens: number }): Promise<void>;
};

/**
 * One request's quota, the same at both doors: which buckets it draws from, in what order, and
 * what a refusal gives back. The windows live in `store`.
 *
 * Two draws, because the tier is known only after classification and decision: the workflow's
 * class is drawn while the policy phase runs, so a tenant past its allowance is refused before
 * any classification and the policy budget times the store's round trip; the `long-context` and
 * `regional` classes are drawn once the route is decided (one more round trip, only for tenant
 * classes that configure them and requests that are so routed). A refusal at the second draw
 * gives the first back. Between the two, a request holds a unit it may return, which can refuse
 * a concurrent request early but never admits one past a limit.
 */
export const createQuotaMeter = (input: {
  config: RouterConfig;
  store: QuotaStore;
  tenant: TenantConfig;
  workflow: string | undefined;
  estimatedTokens: number;
}): QuotaMeter => {
  const { config, store, tenant, workflow, estimatedTokens } = input;
  const drawn: { buckets: string[]; windowStart: number }[] = [];
  let snapshot: RateLimitSnapshot | undefined;

  const draw = async (buckets: QuotaBucket[]): Promise<QuotaVerdict> => {
    const verdict = await store.take(tenant.id, { buckets, tokens: estimatedTokens });
    snapshot = tighter(snapshot, verdict.snapshot);
    if (verdict.ok) {
      drawn.push({ buckets: buckets.map((b) => b.name), windowStart: verdict.windowStart });
    }
    return verdict;
  };

  return {
    get snapshot() {
      return snapshot;
    },
    async admit() {
      const bucket = admissionBucket(config, tenant, workflow);
      if (bucket === undefined) return;
      const verdict = await draw([bucket]);
      if (!verdict.ok) throw refusal(verdict, estimatedTokens);
    },
    async route(routed) {
      const buckets = routedBuckets(config, tenant, routed);
      if (buckets.length === 0) return;
      const verdict = await draw(buckets);
      if (verdict.ok) return;
      await Promise.all(
        drawn.map((taken) =>
          store.adjust(tenant.id, { ...taken, requests: -1, tokens: -estimatedTokens }),
        ),
      );
      drawn.length = 0;
      throw refusal(verdict, estimatedTokens);
    },
    async account(usage) {
      const extra = usage.total_tokens - estimatedTokens;
      if (extra <= 0) return;
      await Promise.all(
        drawn.map((taken) => store.adjust(tenant.id, { ...taken, requests: 0, tokens: extra })),
      );
    },
  };
};
