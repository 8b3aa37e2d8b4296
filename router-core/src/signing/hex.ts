const encoder = new TextEncoder();

/** Lowercase hex of a byte buffer. */
export const toHex = (bytes: ArrayBuffer | Uint8Array): string => {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let out = '';
  for (const byte of view) out += byte.toString(16).padStart(2, '0');
  return out;
};

/** SHA-256 of UTF-8 text, as hex (WebCrypto, so it runs on Workers and Node alike). */
export const sha256HexOf = async (text: string): Promise<string> =>
  toHex(await crypto.subtle.digest('SHA-256', encoder.encode(text)));

/**
 * Equality of two strings in time that depends only on their lengths: a signature compare must
 * not leak how many leading characters matched.
 */
export const constantTimeEqual = (a: string, b: string): boolean => {
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  let diff = left.length ^ right.length;
  const length = Math.max(left.length, right.length);
  for (let i = 0; i < length; i++) diff |= (left[i] ?? 0) ^ (right[i] ?? 0);
  return diff === 0;
};
