import { SIGNATURE_VERSION, signRequest, verifyRequest } from './sign-request.ts';

/** The names of a signed request's four headers (escalations', background runs' callers'). */
export type SignedHeaderNames = {
  signature: string;
  timestamp: string;
  nonce: string;
  context: string;
};

/** A request as a verifier reads it: what was signed, the headers that carry the signature. */
export type ReceivedRequest = {
  method: string;
  path: string;
  body: string;
  headers: { get(name: string): string | null };
  /** The verifier's clock (ms), for tests. */
  now?: number;
};

/** How far a signed request's timestamp may be from the verifier's clock, either way. */
export const MAX_CLOCK_SKEW_MS = 60_000;

export type SignedHeadersVerdict =
  | { ok: true; context: string; nonce: string; timestamp: number }
  | { ok: false; reason: 'missing_headers' | 'bad_signature' | 'stale_timestamp' };

/** The headers that sign a request (`signRequest`) under `names`: `v1=` signature, timestamp, nonce, context. */
export const signHeaders = async (
  secret: string,
  names: SignedHeaderNames,
  request: {
    method: string;
    path: string;
    body: string;
    context: string;
    timestamp?: number;
    nonce?: string;
  },
): Promise<Record<string, string>> => {
  const timestamp = request.timestamp ?? Date.now();
  const nonce = request.nonce ?? crypto.randomUUID();
  const signature = await signRequest(secret, { ...request, timestamp, nonce });
  return {
    [names.signature]: `${SIGNATURE_VERSION}=${signature}`,
    [names.timestamp]: String(timestamp),
    [names.nonce]: nonce,
    [names.context]: request.context,
  };
};

/**
 * Checks the signature and timestamp of a request signed under `names`; the context comes back
 * as sent, for the caller to decode. Replay protection (nonce seen before) is the caller's: it
 * needs state, which this pure function does not keep.
 */
export const verifySignedHeaders = async (
  secret: string,
  names: SignedHeaderNames,
  request: ReceivedRequest,
): Promise<SignedHeadersVerdict> => {
  const signature = request.headers.get(names.signature);
  const rawTimestamp = request.headers.get(names.timestamp);
  const nonce = request.headers.get(names.nonce);
  const context = request.headers.get(names.context);
  if (!signature || !rawTimestamp || !nonce || context === null) {
    return { ok: false, reason: 'missing_headers' };
  }
  const timestamp = Number(rawTimestamp);
  if (!/^\d{1,16}$/.test(rawTimestamp) || !Number.isSafeInteger(timestamp)) {
    return { ok: false, reason: 'stale_timestamp' };
  }
  const parts = {
    method: request.method,
    path: request.path,
    timestamp,
    nonce,
    body: request.body,
    context,
  };
  if (!(await verifyRequest(secret, parts, signature))) {
    return { ok: false, reason: 'bad_signature' };
  }
  // Checked after the signature so an attacker learns nothing about the clock from unsigned probes.
  if (Math.abs((request.now ?? Date.now()) - timestamp) > MAX_CLOCK_SKEW_MS) {
    return { ok: false, reason: 'stale_timestamp' };
  }
  return { ok: true, context, nonce, timestamp };
};
