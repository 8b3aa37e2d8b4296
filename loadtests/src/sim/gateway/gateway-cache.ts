import { createHash } from 'node:crypto';
import type { OutgoingHttpHeaders } from 'node:http';

/** An answer as the gateway keeps it: status, headers and the whole body, streamed or not. */
export type CachedAnswer = { status: number; headers: OutgoingHttpHeaders; body: Buffer };

/**
 * The simulator's AI Gateway cache: answers by key (provider route, credential and body, as
 * Cloudflare's default key hashes them), each for its own TTL, the oldest dropped when full.
 */
export class GatewayCache {
  readonly #capacity: number;
  #entries = new Map<string, CachedAnswer & { expiresAt: number }>();

  constructor(capacity = 1_000) {
    this.#capacity = capacity;
  }

  /** Cloudflare's default cache key: provider and path, the credential, the body. */
  static key(path: string, authorization: string | undefined, body: Buffer): string {
    return createHash('sha256')
      .update(path)
      .update('\u0000')
      .update(authorization ?? '')
      .update('\u0000')
      .update(body)
      .digest('hex');
  }

  get(key: string, now: number): CachedAnswer | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > now) return entry;
    this.#entries.delete(key);
    return undefined;
  }

  set(key: string, answer: CachedAnswer, ttlMs: number, now: number): void {
    this.#entries.delete(key);
    this.#entries.set(key, { ...answer, expiresAt: now + ttlMs });
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }

  clear(): void {
    this.#entries.clear();
  }
}
