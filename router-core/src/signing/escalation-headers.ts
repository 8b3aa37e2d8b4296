import {
  decodeEscalationContext,
  type EscalationContext,
  encodeEscalationContext,
} from './escalation-context.ts';
import { SIGNATURE_VERSION, signRequest, verifyRequest } from './sign-request.ts';

/** The headers of a signed edge→regional request. Stripped from client requests at the edge. */
export const ESCALATION_HEADERS = {
  signature: 'x-switchback-signature',
  timestamp: 'x-switchback-timestamp',
  nonce: 'x-switchback-nonce',
  context: 'x-switchback-context',
} as const;

/** How far a signed request's timestamp may be from the verifier's clock, either way. */
export const MAX_CLOCK_SKEW_MS = 60_000;

/** The signed headers for an escalated request (the edge sets them, regional verifies them). */
export const signEscalation = async (
  secret: string,
  request: {
    method: string;
    path: string;
    body: string;
    context: EscalationContext;
    timestamp?: number;
    nonce?: string;
  },
): Promise<Record<(typeof ESCALATION_HEADERS)[keyof typeof ESCALATION_HEADERS], string>> => {
  const timestamp = request.timestamp ?? Date.now();
  const nonce = request.nonce ?? crypto.randomUUID();
  const context = encodeEscalationContext(request.context);
  const signature = await signRequest(secret, {
    method: request.method,
    path: request.path,
    timestamp,
    nonce,
    body: request.body,
    context,
  });
  return {
    [ESCALATION_HEADERS.signature]: `${SIGNATURE_VERSION}=${signature}`,
    [ESCALATION_HEADERS.timestamp]: String(timestamp),
    [ESCALATION_HEADERS.nonce]: nonce,
    [ESCALATION_HEADERS.context]: context,
  };
};

export const ESCALATION_REJECTIONS = [
  'missing_headers',
  'bad_signature',
  'stale_timestamp',
  'bad_context',
] as const;
export type EscalationRejection = (typeof ESCALATION_REJECTIONS)[number];

export type EscalationVerdict =
  | { ok: true; context: EscalationContext; nonce: string; timestamp: number }
  | { ok: false; reason: EscalationRejection };

/**
 * Checks signature and timestamp of a signed request. Replay protection (nonce seen before) is
 * the caller's: it needs state, which this pure function does not keep.
 */
export const verifyEscalation = async (
  secret: string,
  request: {
    method: string;
    path: string;
    body: string;
    headers: { get(name: string): string | null };
    now?: number;
  },
): Promise<EscalationVerdict> => {
  const signature = request.headers.get(ESCALATION_HEADERS.signature);
  const rawTimestamp = request.headers.get(ESCALATION_HEADERS.timestamp);
  const nonce = request.headers.get(ESCALATION_HEADERS.nonce);
  const context = request.headers.get(ESCALATION_HEADERS.context);
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
  if (!(await verifyRequest(secret, parts, signature)))
    return { ok: false, reason: 'bad_signature' };
  // Checked after the signature so an attacker learns nothing about the clock from unsigned probes.
  if (Math.abs((request.now ?? Date.now()) - timestamp) > MAX_CLOCK_SKEW_MS) {
    return { ok: false, reason: 'stale_timestamp' };
  }
  const decoded = decodeEscalationContext(context);
  if (!decoded) return { ok: false, reason: 'bad_context' };
  return { ok: true, context: decoded, nonce, timestamp };
};
