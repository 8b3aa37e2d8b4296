import type { RateLimitSnapshot } from './quota-window.ts';

/**
 * A duration as OpenAI writes resets: `120ms`, `1.5s`, `6m0s`. The seconds are whole
 * milliseconds over 1,000, so a number's shortest form has at most three decimals (no `toFixed`,
 * which was a per-request cost on the hot path).
 */
export const formatReset = (ms: number): string => {
  const whole = Math.max(0, Math.ceil(ms));
  if (whole < 1_000) return `${whole}ms`;
  const minutes = Math.floor(whole / 60_000);
  const seconds = (whole - minutes * 60_000) / 1_000;
  return minutes > 0 ? `${minutes}m${seconds}s` : `${seconds}s`;
};

/** The `x-ratelimit-*` headers OpenAI sends, for requests and for tokens; none without a quota. */
export const rateLimitHeaders = (
  snapshot: RateLimitSnapshot | undefined,
): Record<string, string> => {
  if (snapshot === undefined) return {};
  const reset = formatReset(snapshot.resetMs);
  return {
    'x-ratelimit-limit-requests': String(snapshot.limitRequests),
    'x-ratelimit-remaining-requests': String(snapshot.remainingRequests),
    'x-ratelimit-reset-requests': reset,
    'x-ratelimit-limit-tokens': String(snapshot.limitTokens),
    'x-ratelimit-remaining-tokens': String(snapshot.remainingTokens),
    'x-ratelimit-reset-tokens': reset,
  };
};
