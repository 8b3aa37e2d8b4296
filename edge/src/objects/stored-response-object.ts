import { DurableObject } from 'cloudflare:workers';
import { type KeptResponse, type ResponseStore, tenantScopedName } from '@switchback/router-core';

const KEPT_KEY = 'kept';

/**
 * One stored Responses-API response of one tenant (named `<tenant>:<response id>`, so another
 * tenant's lookup reaches an empty object): kept until its TTL, when an alarm deletes it.
 */
export class StoredResponseObject extends DurableObject<Env> {
  /** The response, or undefined when there is none (never stored, deleted or expired). */
  get(): KeptResponse | undefined {
    const kept = this.ctx.storage.kv.get<KeptResponse>(KEPT_KEY);
    return kept !== undefined && kept.expiresAt > Date.now() ? kept : undefined;
  }

  /** Keeps `kept` until its `expiresAt`. */
  put(kept: KeptResponse): void {
    this.ctx.storage.kv.put(KEPT_KEY, kept);
    void this.ctx.storage.setAlarm(kept.expiresAt);
  }

  /** Deletes it; whether there was one. */
  async delete(): Promise<boolean> {
    const found = this.get() !== undefined;
    await this.ctx.storage.deleteAll();
    return found;
  }

  override async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }
}

/** The edge's ResponseStore: one StoredResponseObject per tenant and response id. */
export const edgeResponseStore = (
  namespace: DurableObjectNamespace<StoredResponseObject>,
): ResponseStore => {
  const stub = (tenantId: string, id: string) =>
    namespace.getByName(tenantScopedName(tenantId, id));
  return {
    async get(tenantId, id) {
      // The RPC stub types a result holding `unknown` (JSON schemas, metadata) as never; it is
      // the object's own KeptResponse, passed through the structured clone.
      const kept = (await stub(tenantId, id).get()) as KeptResponse | undefined;
      return kept?.tenantId === tenantId ? kept : undefined;
    },
    async put(kept) {
      await stub(kept.tenantId, kept.response.id).put(kept);
    },
    delete: (tenantId, id) => stub(tenantId, id).delete(),
  };
};
