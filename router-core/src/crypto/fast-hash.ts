/**
 * A fast, synchronous, non-cryptographic 64-bit hash (two 32-bit lanes, cyrb53-style mixing)
 * that can be fed piece by piece. For cache keys and rendezvous scores, never for secrets.
 */
export class FastHash {
  private h1 = 0xdeadbeef;
  private h2 = 0x41c6ce57;

  /** Feeds a string's UTF-16 code units. */
  update(text: string): this {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    // A separator so that ("ab", "c") and ("a", "bc") differ.
    h1 = Math.imul(h1 ^ text.length ^ 0x9e3779b9, 2654435761);
    h2 = Math.imul(h2 ^ text.length ^ 0x85ebca6b, 1597334677);
    this.h1 = h1;
    this.h2 = h2;
    return this;
  }

  /** The two finalised 32-bit lanes. */
  digest(): [number, number] {
    let h1 = this.h1;
    let h2 = this.h2;
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
    h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
    h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return [h1 >>> 0, h2 >>> 0];
  }

  /** 16 hex characters. */
  hex(): string {
    const [a, b] = this.digest();
    return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
  }
}

/** 16-hex-character fast hash of the given parts, in order. */
export const fastHashHex = (...parts: readonly string[]): string => {
  const hash = new FastHash();
  for (const part of parts) hash.update(part);
  return hash.hex();
};
