import type { QuotaBucket } from './request-classes.ts';

/** Quotas are per clock minute: fixed windows, as OpenAI's per-minute limits read. */
export const QUOTA_WINDOW_MS = 60_000;

/** Requests and tokens one bucket has used in the window that began at `start`. */
export type QuotaWindow = { start: number; requests: number; tokens: number };

/** A tenant's windows, by bucket name: all the state a quota store keeps for one tenant. */
export type QuotaWindows = Record<string, QuotaWindow>;

/**
 * The tightest of the buckets drawn from, as the `x-ratelimit-*` headers say it: limit and what
 * is left, for requests and for tokens, and the ms until the window resets.
 */
export type RateLimitSnapshot = {
  limitRequests: number;
  remainingRequests: number;
  limitTokens: number;
  remainingTokens: number;
  resetMs: number;
};

export type QuotaVerdict =
  | { ok: true; windowStart: number; snapshot: RateLimitSnapshot }
  | {
      ok: false;
      bucket: string;
      exhausted: 'requests' | 'tokens';
      limit: number;
      used: number;
      retryAfterMs: number;
      snapshot: RateLimitSnapshot;
    };

/** What a store is asked to take: one request and `tokens` from each bucket, or from none. */
export type QuotaTake = { buckets: QuotaBucket[]; tokens: number; now?: number };

/** What a store is asked to give back or add: tokens (and requests) in the window of a take. */
export type QuotaAdjust = {
  buckets: string[];
  requests: number;
  tokens: number;
  windowStart: number;
};

export const windowStartOf = (now: number): number =>
  Math.floor(now / QUOTA_WINDOW_MS) * QUOTA_WINDOW_MS;

const current = (windows: QuotaWindows, name: string, start: number): QuotaWindow => {
  const stored = windows[name];
  return stored !== undefined && stored.start === start
    ? stored
    : { start, requests: 0, tokens: 0 };
};

/** The tighter of two snapshots, dimension by dimension (least remaining wins). */
export const tighter = (
  a: RateLimitSnapshot | undefined,
  b: RateLimitSnapshot,
): RateLimitSnapshot => {
  if (a === undefined) return b;
  const requests = a.remainingRequests <= b.remainingRequests ? a : b;
  const tokens = a.remainingTokens <= b.remainingTokens ? a : b;
  return {
    limitRequests: requests.limitRequests,
    remainingRequests: requests.remainingRequests,
    limitTokens: tokens.limitTokens,
    remainingTokens: tokens.remainingTokens,
    resetMs: Math.max(a.resetMs, b.resetMs),
  };
};

const snapshotOf = (
  bucket: QuotaBucket,
  window: QuotaWindow,
  resetMs: number,
): RateLimitSnapshot => ({
  limitRequests: bucket.requests,
  remainingRequests: Math.max(0, bucket.requests - window.requests),
  limitTokens: bucket.tokens,
  remainingTokens: Math.max(0, bucket.tokens - window.tokens),
  resetMs,
});

/**
 * Takes one request and `tokens` from every bucket of `take`, all or none: the windows to store
 * (`undefined` when refused, nothing changes) and the verdict. A window that has ended counts
 * as empty. Pure: the store supplies `windows` and keeps what comes back.
 */
export const takeFromWindows = (
  windows: QuotaWindows,
  take: QuotaTake,
  now: number,
): { verdict: QuotaVerdict; windows: QuotaWindows | undefined } => {
  const start = windowStartOf(now);
  const resetMs = start + QUOTA_WINDOW_MS - now;
  let snapshot: RateLimitSnapshot | undefined;
  const next: QuotaWindows = { ...windows };
  for (const bucket of take.buckets) {
    const window = current(windows, bucket.name, start);
    const exhausted =
      window.requests + 1 > bucket.requests
        ? ({ what: 'requests', limit: bucket.requests, used: window.requests } as const)
        : window.tokens + take.tokens > bucket.tokens
          ? ({ what: 'tokens', limit: bucket.tokens, used: window.tokens } as const)
          : undefined;
    if (exhausted !== undefined) {
      return {
        windows: undefined,
        verdict: {
          ok: false,
          bucket: bucket.name,
          exhausted: exhausted.what,
          limit: exhausted.limit,
          used: exhausted.used,
          retryAfterMs: resetMs,
          snapshot: snapshotOf(bucket, window, resetMs),
        },
      };
    }
    const taken = {
      start,
      requests: window.requests + 1,
      tokens: window.tokens + take.tokens,
    };
    next[bucket.name] = taken;
    snapshot = tighter(snapshot, snapshotOf(bucket, taken, resetMs));
  }
  if (snapshot === undefined) {
    // Nothing to draw from: no limit, so nothing to report either; callers skip empty takes.
    snapshot = {
      limitRequests: 0,
      remainingRequests: 0,
      limitTokens: 0,
      remainingTokens: 0,
      resetMs,
    };
  }
  return { windows: next, verdict: { ok: true, windowStart: start, snapshot } };
};

/**
 * Adds `requests` and `tokens` (negative to give back) to the buckets' windows of `windowStart`.
 * A window that has moved on is left alone: what was taken in it is gone with it. `undefined`
 * when nothing changes.
 */
export const adjustWindows = (
  windows: QuotaWindows,
  adjust: QuotaAdjust,
): QuotaWindows | undefined => {
  let next: QuotaWindows | undefined;
  for (const name of adjust.buckets) {
    const window = windows[name];
    if (window === undefined || window.start !== adjust.windowStart) continue;
    next ??= { ...windows };
    next[name] = {
      start: window.start,
      requests: Math.max(0, window.requests + adjust.requests),
      tokens: Math.max(0, window.tokens + adjust.tokens),
    };
  }
  return next;
};
