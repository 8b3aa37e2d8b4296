import { FastHash } from '../crypto/fast-hash.ts';

const score = (key: string, backend: string): number => {
  const [high, low] = new FastHash().update(key).update(backend).digest();
  // 53 bits of the 64: ample to make ties vanishingly rare, and exact in a double.
  return (high >>> 11) * 4294967296 + low;
};

/**
 * Rendezvous (highest-random-weight) hashing: the backend `key` belongs to. Removing a backend
 * moves only the keys that were on it; adding one takes an even share from all the others.
 */
export const rendezvous = (key: string, backends: readonly string[]): string | undefined => {
  let best: string | undefined;
  let bestScore = -1;
  for (const backend of backends) {
    const s = score(key, backend);
    // Ties (practically impossible) go to the smaller name, so the answer is order-independent.
    if (s > bestScore || (s === bestScore && best !== undefined && backend < best)) {
      best = backend;
      bestScore = s;
    }
  }
  return best;
};
