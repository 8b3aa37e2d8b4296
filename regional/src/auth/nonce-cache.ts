/**
 * Nonces of signed requests seen lately, to refuse replays. Entries outlive the timestamp window
 * (a request older than that is refused by its timestamp anyway), and the cache is bounded: when
 * full, the oldest entry goes, so memory stays flat under any load.
 */
export const createNonceCache = (options: {
  ttlMs: number;
  capacity: number;
  now?: () => number;
}) => {
  const now = options.now ?? Date.now;
  const seen = new Map<string, number>();

  const evict = (at: number): void => {
    // Insertion order is expiry order (one ttl for all), so expired entries are at the front.
    for (const [nonce, expiresAt] of seen) {
      if (expiresAt > at && seen.size < options.capacity) break;
      seen.delete(nonce);
    }
  };

  return {
    /** Remembers `nonce`; false if it was seen before (a replay). */
    claim(nonce: string): boolean {
      const at = now();
      evict(at);
      const expiresAt = seen.get(nonce);
      if (expiresAt !== undefined && expiresAt > at) return false;
      seen.set(nonce, at + options.ttlMs);
      return true;
    },
    get size(): number {
      return seen.size;
    },
  };
};

export type NonceCache = ReturnType<typeof createNonceCache>;
