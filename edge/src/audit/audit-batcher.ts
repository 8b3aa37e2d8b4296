import type { RequestAuditEvent } from '@switchback/router-core';

/** Where a batch goes: a tenant's chain (`AuditChainObject.appendAll`). */
export type AuditChain = { appendAll(events: RequestAuditEvent[]): Promise<unknown> };

/** A batch a request opened: the events it carries (its own first) and their one send. */
export type AuditBatch = { events: readonly RequestAuditEvent[]; sent: Promise<void> };

/**
 * Events on their way to the tenants' chains, gathered per chain for one turn of the event loop
 * and sent in one call: under load one Durable Object call carries many requests' events (a call
 * a request cost the local Worker about a third of its throughput); a lone request's goes at once.
 *
 * Requests share the isolate, never their I/O: workerd ties a timer, a stub and what they resolve
 * to the request that made them, and a request that awaits another's fails ("Cannot perform I/O
 * on behalf of a different request") or is dropped ("Promise will never complete") once that one
 * ends. So the request that opens a batch sends it, with its own timer and its own stub, kept
 * alive by its own `waitUntil`; a request that joins hands over its event, plain data, and waits
 * for nothing.
 */
export class AuditBatcher {
  readonly #open = new Map<string, RequestAuditEvent[]>();
  readonly #chainOf: (name: string) => AuditChain;

  /** `chainOf` is called by the opening request, in its own context, when its batch goes. */
  constructor(chainOf: (name: string) => AuditChain) {
    this.#chainOf = chainOf;
  }

  /**
   * Adds `event` to the open batch of the chain named `name`. Returns the batch when this call
   * opened it (the caller keeps `sent` alive and reports its failure for every event in it), or
   * `undefined` when the event joined a batch another request opened and sends.
   */
  add(name: string, event: RequestAuditEvent): AuditBatch | undefined {
    const open = this.#open.get(name);
    if (open !== undefined) {
      open.push(event);
      return undefined;
    }
    const events = [event];
    this.#open.set(name, events);
    const sent = new Promise<void>((resolve) => setTimeout(resolve, 0)).then(async () => {
      this.#open.delete(name);
      await this.#chainOf(name).appendAll(events);
    });
    return { events, sent };
  }
}
