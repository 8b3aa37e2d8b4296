import { auditLinkHash, auditSignature } from './audit-chain.ts';
import { AUDIT_GENESIS, type SignedAuditEvent } from './audit-event.ts';

/** What is wrong with the first bad line of an audit log. */
export type AuditProblem = 'malformed' | 'edited' | 'deleted' | 'inserted' | 'reordered';

export type AuditVerifyResult =
  | { ok: true; count: number; lastSeq: number; lastHash: string }
  | { ok: false; line: number; problem: AuditProblem; message: string };

export type AuditVerifyOptions = {
  /** Where the file starts in the chain (a rotated log): the first `seq` and its `prev`. */
  from?: { seq: number; prev: string };
};

const HEX64 = /^[0-9a-f]{64}$/;

const parseLine = (line: string): SignedAuditEvent | undefined => {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const ok =
    Number.isSafeInteger(v.seq) &&
    typeof v.prev === 'string' &&
    HEX64.test(v.prev) &&
    typeof v.sig === 'string' &&
    HEX64.test(v.sig) &&
    v.event !== null &&
    typeof v.event === 'object' &&
    !Array.isArray(v.event);
  return ok ? (value as SignedAuditEvent) : undefined;
};

/**
 * Checks a signed, hash-chained audit log (one JSON event a line) and names the first line that
 * was edited (signature), deleted (a gap in `seq`), inserted (a copy or a foreign event) or
 * reordered. A deleted tail leaves no trace in the file itself: compare `lastSeq`/`lastHash` with
 * an anchor kept elsewhere.
 */
export const verifyAuditLog = async (
  lines: readonly string[],
  secret: string,
  options: AuditVerifyOptions = {},
): Promise<AuditVerifyResult> => {
  let end = lines.length;
  while (end > 0 && lines[end - 1]?.trim() === '') end--;
  const parsed = lines.slice(0, end).map(parseLine);
  const present = new Set<number>();
  for (const event of parsed) if (event) present.add(event.seq);

  let expectedSeq = options.from?.seq ?? 1;
  let expectedPrev = options.from?.prev ?? AUDIT_GENESIS;
  const seen = new Set<number>();
  for (let i = 0; i < parsed.length; i++) {
    const line = i + 1;
    const event = parsed[i];
    const fail = (problem: AuditProblem, message: string): AuditVerifyResult => ({
      ok: false,
      line,
      problem,
      message: `line ${line}: ${message}`,
    });
    if (event === undefined) {
      return fail('malformed', 'not a signed audit event (the line was edited or corrupted).');
    }
    const sig = await auditSignature(secret, event.seq, event.prev, event.event);
    if (sig !== event.sig) {
      return fail(
        'edited',
        `seq ${event.seq}: the signature does not match; the event was edited or forged.`,
      );
    }
    if (event.seq < expectedSeq) {
      return seen.has(event.seq)
        ? fail(
            'inserted',
            `seq ${event.seq} appears a second time; a copy of an event was inserted.`,
          )
        : fail(
            'reordered',
            `seq ${event.seq} comes after seq ${expectedSeq - 1}; events were reordered.`,
          );
    }
    if (event.seq > expectedSeq) {
      return present.has(expectedSeq)
        ? fail(
            'reordered',
            `expected seq ${expectedSeq} but found seq ${event.seq}; events were reordered.`,
          )
        : fail(
            'deleted',
            event.seq - expectedSeq === 1
              ? `seq ${expectedSeq} is missing before seq ${event.seq}; an event was deleted.`
              : `seq ${expectedSeq}-${event.seq - 1} are missing before seq ${event.seq}; events were deleted.`,
          );
    }
    if (event.prev !== expectedPrev) {
      return fail(
        'inserted',
        `seq ${event.seq} does not chain to the line before; it comes from another log.`,
      );
    }
    seen.add(event.seq);
    expectedSeq = event.seq + 1;
    expectedPrev = await auditLinkHash(event);
  }
  return { ok: true, count: parsed.length, lastSeq: expectedSeq - 1, lastHash: expectedPrev };
};
