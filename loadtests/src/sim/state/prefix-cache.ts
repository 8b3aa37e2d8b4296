import { createHash } from 'node:crypto';

/** One piece of a prompt, in the order the provider reads it (tools, system, messages). */
export interface PromptSegment {
  tokens: number;
  /** Hashed (as JSON) into the prefix identity. */
  value: unknown;
  /** Whether the prefix may end after this segment (a message end; a Bedrock `cachePoint`). */
  boundary: boolean;
}

export interface PrefixObservation {
  /** Tokens up to the longest boundary seen before in this scope (0 when none). */
  hitTokens: number;
  /** Tokens up to the last boundary that is long enough to be cached (0 when none). */
  lastBoundaryTokens: number;
}

/**
 * Prompt prefixes shorter than this are never cached: OpenAI caches prompts of 1024 tokens or
 * more, and Bedrock's minimum per cache checkpoint is 1024 tokens for most models. Workers AI does
 * not cache short inputs either, so one threshold serves all targets.
 */
export const CACHE_MIN_TOKENS = 1024;
/** OpenAI reports cache hits in increments of 128 tokens past the first 1024. */
export const CACHE_BLOCK_TOKENS = 128;

/** OpenAI's rule: the cached part of a ≥1024-token prefix hit, rounded down to 128-token blocks. */
export const openAiCachedTokens = (hitTokens: number): number =>
  hitTokens < CACHE_MIN_TOKENS
    ? 0
    : Math.floor(hitTokens / CACHE_BLOCK_TOKENS) * CACHE_BLOCK_TOKENS;

/**
 * A bounded LRU of prompt-prefix hashes. Only prefixes ending at a boundary are remembered, so a
 * request hits when its leading segments, up to a boundary, equal those of an earlier request in
 * the same scope (target, model, and whatever else the provider keys its cache by).
 */
export class PrefixCache {
  readonly #capacity: number;
  #entries = new Map<string, true>();

  constructor(capacity = 10_000) {
    this.#capacity = capacity;
  }

  observe(scope: string, segments: readonly PromptSegment[]): PrefixObservation {
    let total = 0;
    for (const segment of segments) total += segment.tokens;
    // Nothing below the threshold can ever hit, so short prompts cost no hashing at all.
    if (total < CACHE_MIN_TOKENS) return { hitTokens: 0, lastBoundaryTokens: 0 };

    const hash = createHash('sha1').update(scope);
    const boundaries: Array<{ key: string; tokens: number }> = [];
    let running = 0;
    for (const segment of segments) {
      hash.update(JSON.stringify(segment.value) ?? 'null').update('\u0000');
      running += segment.tokens;
      if (segment.boundary && running >= CACHE_MIN_TOKENS) {
        boundaries.push({ key: hash.copy().digest('base64'), tokens: running });
      }
    }

    let hitTokens = 0;
    for (let i = boundaries.length - 1; i >= 0; i--) {
      const boundary = boundaries[i];
      if (boundary && this.#entries.has(boundary.key)) {
        hitTokens = boundary.tokens;
        break;
      }
    }
    for (const { key } of boundaries) this.#touch(key);
    return { hitTokens, lastBoundaryTokens: boundaries.at(-1)?.tokens ?? 0 };
  }

  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
  }

  #touch(key: string): void {
    this.#entries.delete(key);
    this.#entries.set(key, true);
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }
}
