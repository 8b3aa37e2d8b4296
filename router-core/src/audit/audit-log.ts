import { auditLinkHash, auditSignature } from './audit-chain.ts';
import {
  AUDIT_GENESIS,
  type AuditEvent,
  type AuditSink,
  type SignedAuditEvent,
} from './audit-event.ts';
import { createRedactor, type RedactionOptions } from './redact-pii.ts';

export type AuditLogOptions = {
  secret: string;
  sink: AuditSink;
  redaction?: RedactionOptions;
  /** Where to continue an existing chain: the last `seq` and its link hash. */
  resume?: { seq: number; hash: string };
  /** A sink that fails is reported here; the request that caused the event is not failed. */
  onError?: (error: unknown) => void;
};

export type AuditLog = {
  /** Redacts, signs and chains the event, then writes it; resolves with what was written. */
  append(event: AuditEvent): Promise<SignedAuditEvent>;
  /** Resolves once every event appended so far has reached the sink (and the sink flushed). */
  flush(): Promise<void>;
};

/**
 * A signed, hash-chained audit log over a sink. Appends are serialised, so `seq` is monotonic and
 * each `prev` is the link hash of the line written just before it, whatever order callers race in.
 */
export const createAuditLog = (options: AuditLogOptions): AuditLog => {
  const { secret, sink } = options;
  if (secret === '') throw new Error('The audit secret must not be empty.');
  const redact = createRedactor(options.redaction);
  let seq = options.resume?.seq ?? 0;
  let prev = options.resume?.hash ?? AUDIT_GENESIS;
  let tail: Promise<unknown> = Promise.resolve();

  const writeOne = async (event: AuditEvent): Promise<SignedAuditEvent> => {
    const clean = redact(event);
    const next = seq + 1;
    const sig = await auditSignature(secret, next, prev, clean);
    const signed: SignedAuditEvent = { seq: next, prev, event: clean, sig };
    const hash = await auditLinkHash(signed);
    // The chain advances before the write: a sink failure leaves a gap `verify` will name.
    seq = next;
    prev = hash;
    try {
      await sink.write(JSON.stringify(signed));
    } catch (error) {
      options.onError?.(error);
    }
    return signed;
  };

  return {
    append(event) {
      const result = tail.then(() => writeOne(event));
      tail = result.catch(() => {});
      return result;
    },
    async flush() {
      await tail;
      await sink.flush?.();
    },
  };
};
