import { auditLinkHash, auditSignature } from './audit-chain.ts';
import {
  AUDIT_GENESIS,
  type AuditEvent,
  type AuditHead,
  type AuditSink,
  auditChainOf,
  type SignedAuditEvent,
} from './audit-event.ts';
import { createRedactor, type RedactionOptions } from './redact-pii.ts';

/** What a shared head answers to a move: done, or the head another writer moved it to first. */
export type AuditHeadMove = { moved: true } | { moved: false; head: AuditHead | undefined };

/** The heads of a log's chains kept outside the process (Redis): many writers, one chain each. */
export interface AuditChainHead {
  /** The chain's head now; undefined for a chain with no events yet. */
  read(chain: string): Promise<AuditHead | undefined>;
  /**
   * Moves the chain's head from `from` (undefined: the empty chain) to `to` and keeps `line` with
   * it, in one step and only if the head is still `from`; else answers where the head is now.
   */
  advance(
    chain: string,
    from: AuditHead | undefined,
    to: AuditHead,
    line: string,
  ): Promise<AuditHeadMove>;
}

/** Attempts of one append against a shared head before it gives up (and reports it). */
const MAX_HEAD_ROUNDS = 200;

type CommonOptions = {
  secret: string;
  sink: AuditSink;
  redaction?: RedactionOptions;
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
   * Told a chain's new head as it advances, in chain order and before the line is written (with
   * the chain's name in a log of one chain per tenant): a restartable writer stores it to `resume`.
   */
  onChained?: (head: AuditHead, chain: string | undefined) => void;
};

export type AuditLogOptions = CommonOptions &
  (
    | {
        /** One chain for every event (the edge: one log per tenant already). */
        perTenant?: false;
        /** Where to continue an existing chain: the last `seq` and its link hash. */
        resume?: AuditHead;
      }
    | {
        /**
         * One chain per tenant in one log (`auditChainOf`): each line carries its chain's name,
         * and `seq` counts within the chain.
         */
        perTenant: true;
        /** Where to continue each existing chain, by name. */
        resume?: ReadonlyMap<string, AuditHead>;
        /**
         * Heads shared by every writer (replicas): an append signs the next line after the head
         * it last saw and advances it only if no other writer did meanwhile (else again after the
         * head it is told), so the writers make one chain per tenant with no fork and no gap. The
         * line is kept with the head; `sink` gets this writer's lines too.
         */
        head?: AuditChainHead;
      }
  );

export type AuditLog = {
  /** Redacts, signs and chains the event, then writes it; resolves with what was written. */
  append(event: AuditEvent): Promise<SignedAuditEvent>;
  /** Resolves once every event appended so far has reached the sink (and the sink flushed). */
  flush(): Promise<void>;
};

const EMPTY_CHAIN: AuditHead = { seq: 0, hash: AUDIT_GENESIS };

/**
 * A signed, hash-chained audit log over a sink. Appends to one chain are serialised, so `seq` is
 * monotonic and each `prev` is the link hash of the line chained just before it, whatever order
 * callers race in; a chain's lines reach the sink in that order (with `orderedWrites: false`,
 * they start in that order). Chains of different tenants do not wait on each other.
 */
export const createAuditLog = (options: AuditLogOptions): AuditLog => {
  const { secret, sink } = options;
  if (secret === '') throw new Error('The audit secret must not be empty.');
  const redact = createRedactor(options.redaction);
  const shared = options.perTenant === true ? options.head : undefined;
  // Where each chain stands as this writer last saw it; for a shared head, a guess to try first.
  const heads = new Map<string | undefined, AuditHead | undefined>();
  if (options.perTenant === true)
    for (const [name, at] of options.resume ?? []) heads.set(name, at);
  else if (options.resume !== undefined) heads.set(undefined, options.resume);
  const tails = new Map<string | undefined, Promise<unknown>>();

  const ordered = options.orderedWrites ?? true;
  const writing = new Set<Promise<void>>();

  const write = async (signed: SignedAuditEvent): Promise<void> => {
    try {
      await sink.write(JSON.stringify(signed));
    } catch (error) {
      options.onError?.(error);
    }
  };

  const sign = async (clean: AuditEvent, chain: string | undefined, after: AuditHead) => {
    const seq = after.seq + 1;
    const sig = await auditSignature(secret, seq, after.hash, clean, chain);
    const signed: SignedAuditEvent =
      chain === undefined
        ? { seq, prev: after.hash, event: clean, sig }
        : { chain, seq, prev: after.hash, event: clean, sig };
    return { signed, hash: await auditLinkHash(signed) };
  };

  /**
   * Signs the event after the head this writer last saw (read once when it saw none) and
   * advances it; told another head, signs after that one instead. One round trip when this writer
   * wrote the chain's last line.
   */
  const chainShared = async (head: AuditChainHead, chain: string, clean: AuditEvent) => {
    let from = heads.has(chain) ? heads.get(chain) : await head.read(chain);
    for (let round = 0; round < MAX_HEAD_ROUNDS; round++) {
      const linked = await sign(clean, chain, from ?? EMPTY_CHAIN);
      const to = { seq: linked.signed.seq, hash: linked.hash };
      const move = await head.advance(chain, from, to, JSON.stringify(linked.signed));
      if (move.moved) return linked;
      from = move.head;
      heads.set(chain, from);
    }
    throw new Error(`The audit chain head moved ${MAX_HEAD_ROUNDS} times during one append.`);
  };

  /** Signs and chains the event; the line is handed to the sink before its chain's next one is. */
  const chainOne = async (
    chain: string | undefined,
    clean: AuditEvent,
  ): Promise<[SignedAuditEvent, Promise<void>]> => {
    const { signed, hash } =
      shared === undefined || chain === undefined
        ? await sign(clean, chain, heads.get(chain) ?? EMPTY_CHAIN)
        : await chainShared(shared, chain, clean).catch((error: unknown) => {
            options.onError?.(error);
            throw error;
          });
    // The chain advances before the write: a sink failure leaves a gap `verify` will name.
    const head = { seq: signed.seq, hash };
    heads.set(chain, head);
    options.onChained?.(head, chain);
    const written = write(signed);
    writing.add(written);
    void written.then(() => writing.delete(written));
    if (ordered) await written;
    return [signed, written];
  };

  return {
    append(event) {
      const clean = redact(event);
      const chain = options.perTenant === true ? auditChainOf(clean) : undefined;
      const chained = (tails.get(chain) ?? Promise.resolve()).then(() => chainOne(chain, clean));
      tails.set(
        chain,
        chained.catch(() => {}),
      );
      return chained.then(async ([signed, written]) => {
        await written;
        return signed;
      });
    },
    async flush() {
      await Promise.all(tails.values());
      await Promise.all(writing);
      await sink.flush?.();
    },
  };
};
