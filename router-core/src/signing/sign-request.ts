import { sha256Hex as sha256HexOf, toHex } from '../crypto/sha256.ts';
import { constantTimeEqual } from './constant-time-equal.ts';

/** What the edge→regional signature covers. */
export type SignedParts = {
  method: string;
  /** Path (with query, if any) of the regional URL. */
  path: string;
  /** Unix milliseconds. */
  timestamp: number;
  nonce: string;
  /** The raw request body, exactly as sent. */
  body: string;
  /** The `x-switchback-context` header value, exactly as sent. */
  context: string;
};

/** The only signature scheme so far; the header reads `v1=<hex>`. */
export const SIGNATURE_VERSION = 'v1';

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

// Importing the key costs more than the HMAC itself: keep one per secret (there is one secret).
const hmacKey = (secret: string): Promise<CryptoKey> => {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey(
      'raw',
      encoder.encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    if (keys.size > 8) keys.clear();
    keys.set(secret, key);
  }
  return key;
};

/** The exact bytes that are signed: `method\npath\ntimestamp\nnonce\nsha256hex(body)\ncontext`. */
export const canonicalString = async (parts: SignedParts): Promise<string> =>
  [
    parts.method.toUpperCase(),
    parts.path,
    String(parts.timestamp),
    parts.nonce,
    await sha256HexOf(parts.body),
    parts.context,
  ].join('\n');

/** HMAC-SHA256 of the canonical string, as bare hex (the header adds the `v1=` prefix). */
export const signRequest = async (secret: string, parts: SignedParts): Promise<string> => {
  if (secret === '') throw new Error('signRequest: the shared secret is empty');
  const key = await hmacKey(secret);
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(await canonicalString(parts)));
  return toHex(mac);
};

/**
 * Whether `signature` (bare hex, or the header's `v1=<hex>`) signs `parts` under `secret`.
 * Compares in constant time; never throws.
 */
export const verifyRequest = async (
  secret: string,
  parts: SignedParts,
  signature: string,
): Promise<boolean> => {
  if (secret === '') return false;
  const prefix = `${SIGNATURE_VERSION}=`;
  const given = signature.startsWith(prefix) ? signature.slice(prefix.length) : signature;
  if (!/^[0-9a-f]{64}$/.test(given)) return false;
  return constantTimeEqual(given, await signRequest(secret, parts));
};
