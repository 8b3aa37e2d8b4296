import type { RequestAuditEvent } from '@switchback/router-core';

/** Where a batch goes: a tenant's chain (`AuditChainObject.appendAll`). */
export type AuditChain = { appendAll(events: RequestAuditEvent[]): Promise<unknown> };

/**
 * Events on their way to the tenants' chains, gathered per chain for one turn of the event loop
 * and sent in one call: under load one Durable Object call carries many requests' events (a call
 * a request cost the local Worker about a third of its throughput); a lone request's goes at once.
 */
export class AuditBatcher {
  readonly #waiting = new Map<string, { events: RequestAuditEvent[]; sent: Promise<void> }>();

  /** Queues `event` for the chain named `name`; resolves once its batch has been appended. */
  send(name: string, chain: () => AuditChain, event: RequestAuditEvent): Promise<void> {
    let batch = this.#waiting.get(name);
    if (batch === undefined) {
      const events: RequestAuditEvent[] = [];
      const sent = new Promise<void>((resolve) => setTimeout(resolve, 0)).then(async () => {
        this.#waiting.delete(name);
        await chain().appendAll(events);
      });
      batch = { events, sent };
      this.#waiting.set(name, batch);
    }
    batch.events.push(event);
    return batch.sent;
  }
}
