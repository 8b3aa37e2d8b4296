/** Latency of one workflow on one tier, over the requests routed there. */
export type LatencyRow = {
  workflow: string;
  tier: string;
  count: number;
  p50Ms: number;
  p95Ms: number;
};

/** Prompt tokens and the share of them served from the provider's prompt cache. */
export type CacheRow = { family: string; promptTokens: number; cachedTokens: number };

/** A part of a whole (`whole` 0: no ratio). */
export type Share = { part: number; whole: number };

/** The error classes an error budget counts apart (router-core's `ERROR_CLASS`, plus closed). */
export const BURN_CLASSES = ['transient', 'budget', 'deterministic', 'quota'] as const;
export type BurnClass = (typeof BURN_CLASSES)[number];

/**
 * One error class: its count and share of requests, and for the classes that spend the
 * availability budget (transient, budget) the burn rate, its share of valid requests over the
 * budget the SLO allows (1.0: spent exactly as fast as it refills).
 */
export type BurnRow = { errorClass: BurnClass; count: number; share: number; burnRate?: number };

/** The availability SLO's error budget (99.9 %), as infra/prometheus/slo-rules.yaml states it. */
export const AVAILABILITY_BUDGET = 0.001;

/** Everything the weekly report shows, from whichever source. */
export type ReportFigures = {
  source: string;
  /** First and last timestamps seen (audit logs only). */
  window?: { from: string; to: string };
  requests: number;
  latency: LatencyRow[];
  cacheHit: CacheRow[];
  /** Tool calls the models asked for that policy denied, over all tool-call decisions. */
  toolCallsDenied: Share;
  /** Requests retried or failed over before their first byte that still ended ok. */
  retriesSucceeded: Share;
  cost: {
    totalUsd: number;
    /** Successful tasks: client-reported successes, else requests that ended ok. */
    successes: number;
    successBasis: 'reported outcomes' | 'ok requests';
    tokens: number;
  };
  burn: BurnRow[];
};

/** Nearest-rank percentile (`p` in 0..1) of values sorted ascending; 0 for none. */
export const nearestRank = (sorted: readonly number[], p: number): number =>
  sorted.length === 0 ? 0 : (sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? 0);

/** The ratio of a share, undefined when its whole is 0. */
export const ratioOf = (share: Share): number | undefined =>
  share.whole === 0 ? undefined : share.part / share.whole;

/** The burn rows from each outcome's request count and the count of all requests. */
export const burnRows = (count: (outcome: string) => number, all: number): BurnRow[] => {
  const valid = all - count('deterministic') - count('quota');
  return BURN_CLASSES.map((errorClass) => {
    const n = count(errorClass);
    const spendsAvailability = errorClass === 'transient' || errorClass === 'budget';
    return {
      errorClass,
      count: n,
      share: all === 0 ? 0 : n / all,
      ...(spendsAvailability && valid > 0 ? { burnRate: n / valid / AVAILABILITY_BUDGET } : {}),
    };
  });
};
