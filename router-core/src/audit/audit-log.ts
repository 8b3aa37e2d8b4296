import { auditLinkHash, auditSignature } from './audit-chain.ts';
import {
  AUDIT_GENESIS,
  type AuditEvent,
  type AuditSink,
  type SignedAuditEvent,
} from './audit-event.ts';
import { createRedactor, type RedactionOptions } from './redact-pii.ts';

/** A chain head kept outside the process (Redis): many writers, one chain. */
export interface AuditChainHead {
  /** The head now; undefined for a chain with no events yet. */
  read(): Promise<{ seq: number; hash: string } | undefined>;
  /**
   * Moves the head from `from` (undefined: the empty chain) to `to` and keeps `line` with it, in
   * one step and only if the head is still `from`; false when another writer moved it first.
   */
  advance(
    from: { seq: number; hash: string } | undefined,
    to: { seq: number; hash: string },
    line: string,
  ): Promise<boolean>;
}

/** Attempts of one append against a shared head before it gives up (and reports it). */
const MAX_HEAD_ROUNDS = 200;

export type AuditLogOptions = {
  secret: string;
  sink: AuditSink;
  redaction?: RedactionOptions;
  /** Where to continue an existing chain: the last `seq` and its link hash. */
  resume?: { seq: number; hash: string };
  /** A sink that fails is reported here; the request that caused the event is not failed. */
  onError?: (error: unknown) => void;
  /**
   * True (the default) for a sink that must receive lines in chain order (a file). False for one
   * that puts them back in order itself (a Queue archived by `seq`): each line is then handed to
   * the sink in chain order without waiting for the one before to be written, so a slow sink
   * (tens of milliseconds a send) does not cap appends at a few dozen a second.
   */
  orderedWrites?: boolean;
  /**
   * Told the chain's new head as it advances, in chain order and before the line is written: a
   * writer that can be restarted stores it to `resume` from.
   */
  onChained?: (head: { seq: number; hash: string }) => void;
  /**
   * A head shared by every writer (replicas): each append reads it, signs the next line and
   * advances it only if no other writer did meanwhile (else again), so the writers make one chain
   * with no fork and no gap. The line is kept with the head; `sink` gets this writer's lines too.
   */
  head?: AuditChainHead;
};

export type AuditLog = {
  /** Redacts, signs and chains the event, then writes it; resolves with what was written. */
  append(event: AuditEvent): Promise<SignedAuditEvent>;
  /** Resolves once every event appended so far has reached the sink (and the sink flushed). */
  flush(): Promise<void>;
};

/**
 * A signed, hash-chained audit log over a sink. Appends are serialised, so `seq` is monotonic and
 * each `prev` is the link hash of the line chained just before it, whatever order callers race in;
 * lines reach the sink in that order (with `orderedWrites: false`, they start in that order).
 */
export const createAuditLog = (options: AuditLogOptions): AuditLog => {
  const { secret, sink } = options;
  if (secret === '') throw new Error('The audit secret must not be empty.');
  const redact = createRedactor(options.redaction);
  let seq = options.resume?.seq ?? 0;
  let prev = options.resume?.hash ?? AUDIT_GENESIS;
  let tail: Promise<unknown> = Promise.resolve();

  const ordered = options.orderedWrites ?? true;
  const writing = new Set<Promise<void>>();

  const write = async (signed: SignedAuditEvent): Promise<void> => {
    try {
      await sink.write(JSON.stringify(signed));
    } catch (error) {
      options.onError?.(error);
    }
  };

  const sign = async (clean: AuditEvent, after: { seq: number; hash: string }) => {
    const next = after.seq + 1;
    const sig = await auditSignature(secret, next, after.hash, clean);
    const signed: SignedAuditEvent = { seq: next, prev: after.hash, event: clean, sig };
    return { signed, hash: await auditLinkHash(signed) };
  };

  /** Signs the event after the shared head and advances it, again while others get there first. */
  const chainShared = async (head: AuditChainHead, clean: AuditEvent) => {
    for (let round = 0; round < MAX_HEAD_ROUNDS; round++) {
      const from = await head.read();
      const linked = await sign(clean, from ?? { seq: 0, hash: AUDIT_GENESIS });
      const to = { seq: linked.signed.seq, hash: linked.hash };
      if (await head.advance(from, to, JSON.stringify(linked.signed))) return linked;
    }
    throw new Error(`The audit chain head moved ${MAX_HEAD_ROUNDS} times during one append.`);
  };

  /** Signs and chains the event; the line is handed to the sink before the next one is. */
  const chainOne = async (event: AuditEvent): Promise<[SignedAuditEvent, Promise<void>]> => {
    const clean = redact(event);
    const { signed, hash } =
      options.head === undefined
        ? await sign(clean, { seq, hash: prev })
        : await chainShared(options.head, clean).catch((error: unknown) => {
            options.onError?.(error);
            throw error;
          });
    const next = signed.seq;
    // The chain advances before the write: a sink failure leaves a gap `verify` will name.
    seq = next;
    prev = hash;
    options.onChained?.({ seq, hash });
    const written = write(signed);
    writing.add(written);
    void written.then(() => writing.delete(written));
    if (ordered) await written;
    return [signed, written];
  };

  return {
    append(event) {
      const chained = tail.then(() => chainOne(event));
      tail = chained.catch(() => {});
      return chained.then(async ([signed, written]) => {
        await written;
        return signed;
      });
    },
    async flush() {
      await tail;
      await Promise.all(writing);
      await sink.flush?.();
    },
  };
};
