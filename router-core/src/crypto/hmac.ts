import { toHex } from './sha256.ts';

const encoder = new TextEncoder();
// Importing a key costs more than the MAC itself; secrets are few and long-lived.
const keys = new Map<string, Promise<CryptoKey>>();

const hmacKey = (secret: string): Promise<CryptoKey> => {
  let key = keys.get(secret);
  if (key === undefined) {
    key = crypto.subtle.importKey(
      'raw',
      encoder.encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    if (keys.size >= 16) keys.clear();
    keys.set(secret, key);
  }
  return key;
};

/** Hex HMAC-SHA256 of a UTF-8 message under a UTF-8 secret. */
export const hmacSha256Hex = async (secret: string, message: string): Promise<string> =>
  toHex(await crypto.subtle.sign('HMAC', await hmacKey(secret), encoder.encode(message)));
