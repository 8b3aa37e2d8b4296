import {
  decodeEscalationContext,
  type EscalationContext,
  encodeEscalationContext,
} from './escalation-context.ts';
import {
  MAX_CLOCK_SKEW_MS,
  type ReceivedRequest,
  signHeaders,
  verifySignedHeaders,
} from './signed-headers.ts';

/** The headers of a signed edge→regional request. Stripped from client requests at the edge. */
export const ESCALATION_HEADERS = {
  signature: 'x-switchback-signature',
  timestamp: 'x-switchback-timestamp',
  nonce: 'x-switchback-nonce',
  context: 'x-switchback-context',
} as const;

export { MAX_CLOCK_SKEW_MS };

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
): Promise<Record<(typeof ESCALATION_HEADERS)[keyof typeof ESCALATION_HEADERS], string>> =>
  (await signHeaders(secret, ESCALATION_HEADERS, {
    ...request,
    context: encodeEscalationContext(request.context),
  })) as Record<(typeof ESCALATION_HEADERS)[keyof typeof ESCALATION_HEADERS], string>;

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
  request: ReceivedRequest,
): Promise<EscalationVerdict> => {
  const verdict = await verifySignedHeaders(secret, ESCALATION_HEADERS, request);
  if (!verdict.ok) return verdict;
  const decoded = decodeEscalationContext(verdict.context);
  if (!decoded) return { ok: false, reason: 'bad_context' };
  return { ok: true, context: decoded, nonce: verdict.nonce, timestamp: verdict.timestamp };
};
