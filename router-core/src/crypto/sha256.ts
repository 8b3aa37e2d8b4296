const encoder = new TextEncoder();

/** Lowercase hex of bytes. */
export const toHex = (bytes: ArrayBuffer | Uint8Array): string => {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let out = '';
  for (const byte of view) out += byte.toString(16).padStart(2, '0');
  return out;
};

/** Hex SHA-256 of a UTF-8 string (WebCrypto, so the same on Workers and Node). */
export const sha256Hex = async (text: string): Promise<string> =>
  toHex(await crypto.subtle.digest('SHA-256', encoder.encode(text)));

/**
 * A runtime's own synchronous SHA-256 to hex (node:crypto at regional). A hash awaited on
 * WebCrypto's job queue resumes only after the event loop comes round again, which under load is
 * milliseconds; a synchronous one keeps the phase it runs in on the CPU.
 */
export type Sha256HexSync = (text: string) => string;
