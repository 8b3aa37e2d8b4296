import { DurableObject } from 'cloudflare:workers';
import { type AuditEvent, type AuditLog, createAuditLog } from '@switchback/router-core';
import { auditSecretFromEnv, auditSinkFromEnv } from '../audit/audit-sink-from-env.ts';

/** Where the chain stands: the last `seq` written and its link hash (the next `prev`). */
type ChainHead = { seq: number; hash: string };

const HEAD_KEY = 'head';

/**
 * One tenant's audit chain (one object per tenant): a hash chain needs a single writer, which
 * many Worker isolates are not. The `createAuditLog` held in memory serialises the chaining; the
 * head is stored as it advances, so an evicted object resumes the chain where it stopped.
 */
export class AuditChainObject extends DurableObject<Env> {
  #log: AuditLog | undefined;

  #logOf(): AuditLog {
    if (this.#log !== undefined) return this.#log;
    const resume = this.ctx.storage.kv.get<ChainHead>(HEAD_KEY);
    const sink = auditSinkFromEnv(this.env);
    this.#log = createAuditLog({
      secret: auditSecretFromEnv(this.env),
      sink,
      ...(resume === undefined ? {} : { resume }),
      // Stored as the chain advances, before the line is sent: should the send then fail, the
      // chain shows a gap that `audit verify` names, rather than a later event reusing the `seq`.
      onChained: (head) => this.ctx.storage.kv.put(HEAD_KEY, head),
      // The Queue's consumer and the local bucket file lines by `seq`: sends need not wait in
      // line, so a tenant's appends are not capped by one send's latency.
      orderedWrites: !sink.ordersBySeq,
      onError: (error) =>
        console.error(
          JSON.stringify({
            level: 'error',
            msg: 'audit sink failed',
            error: error instanceof Error ? error.message : String(error),
          }),
        ),
    });
    return this.#log;
  }

  /** Resolves once every event appended so far is in the sink (and the sink flushed). */
  async flush(): Promise<void> {
    await this.#log?.flush();
  }

  /**
   * Redacts, signs and chains the events in their order, and writes them (one call for a batch of
   * requests, see `AuditBatcher`; an operator's event alone); resolves with their `seq`s.
   */
  async appendAll(events: AuditEvent[]): Promise<{ seqs: number[] }> {
    const log = this.#logOf();
    const signed = await Promise.all(events.map((event) => log.append(event)));
    return { seqs: signed.map((s) => s.seq) };
  }
}
