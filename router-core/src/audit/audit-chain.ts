import { hmacSha256Hex } from '../crypto/hmac.ts';
import { sha256Hex } from '../crypto/sha256.ts';
import type { AuditEvent, SignedAuditEvent } from './audit-event.ts';
import { canonicalJson } from './canonical-json.ts';

/**
 * The HMAC of an event at its place in the chain (everything but `sig`, canonical JSON): the
 * chain's name too when the line carries one, so a line cannot be moved to another tenant's chain.
 */
export const auditSignature = (
  secret: string,
  seq: number,
  prev: string,
  event: AuditEvent,
  chain?: string,
): Promise<string> =>
  hmacSha256Hex(
    secret,
    canonicalJson(chain === undefined ? { seq, prev, event } : { chain, seq, prev, event }),
  );

/** The hash the next event's `prev` must carry: SHA-256 of the whole signed event. */
export const auditLinkHash = (signed: SignedAuditEvent): Promise<string> =>
  sha256Hex(canonicalJson(signed));
