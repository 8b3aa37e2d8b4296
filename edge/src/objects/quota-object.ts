import { DurableObject } from 'cloudflare:workers';

/** A tenant's allowance for one request class, per fixed window. */
export type QuotaLimits = { requests: number; tokens: number; windowMs: number };

export type QuotaVerdict =
  | { ok: true; remainingRequests: number; remainingTokens: number }
  | { ok: false; exhausted: 'requests' | 'tokens'; retryAfterMs: number };

type Window = { start: number; requests: number; tokens: number };

const WINDOW_KEY = 'window';

/**
 * Requests and tokens used in the current window, for one tenant and request class (one object
 * per pair). Every method is synchronous over synchronous storage, so each call runs alone: a
 * burst of concurrent requests is admitted exactly up to the limit.
 */
export class QuotaObject extends DurableObject<Env> {
  #current(windowMs: number, now: number): Window {
    const start = Math.floor(now / windowMs) * windowMs;
    const stored = this.ctx.storage.kv.get<Window>(WINDOW_KEY);
    return stored !== undefined && stored.start === start
      ? stored
      : { start, requests: 0, tokens: 0 };
  }

  /** Takes one request and `tokens` (an estimate) from the window, or says when to come back. */
  consume(input: { tokens: number; limits: QuotaLimits; now?: number }): QuotaVerdict {
    const { limits } = input;
    const now = input.now ?? Date.now();
    const window = this.#current(limits.windowMs, now);
    const retryAfterMs = window.start + limits.windowMs - now;
    if (window.requests + 1 > limits.requests) {
      return { ok: false, exhausted: 'requests', retryAfterMs };
    }
    if (window.tokens + input.tokens > limits.tokens) {
      return { ok: false, exhausted: 'tokens', retryAfterMs };
    }
    window.requests += 1;
    window.tokens += input.tokens;
    this.ctx.storage.kv.put(WINDOW_KEY, window);
    return {
      ok: true,
      remainingRequests: limits.requests - window.requests,
      remainingTokens: limits.tokens - window.tokens,
    };
  }

  /** Adds tokens learnt after the fact (the completion's usage beyond the estimate). */
  record(input: { tokens: number; windowMs: number; now?: number }): void {
    if (input.tokens <= 0) return;
    const window = this.#current(input.windowMs, input.now ?? Date.now());
    window.tokens += input.tokens;
    this.ctx.storage.kv.put(WINDOW_KEY, window);
  }
}
