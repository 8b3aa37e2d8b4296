import { hmacSha256Hex } from '../crypto/hmac.ts';
import { sha256Hex as sha256HexOf } from '../crypto/sha256.ts';
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
  return hmacSha256Hex(secret, await canonicalString(parts));
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
