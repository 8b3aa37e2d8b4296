import { archiveAuditBatch } from './archive-audit-batch.ts';
import type { AuditQueue } from './queue-audit-sink.ts';

/**
 * The local stand-in for Queue → consumer → R2: messages are batched in memory (at most
 * `maxBatch`, like a consumer's `max_batch_size`) and archived into a Map standing in for the
 * bucket. Deliveries can be shuffled to play the part of a Queue that does not keep order.
 */
export const createLocalAuditPipeline = (
  options: { maxBatch?: number; shuffle?: boolean } = {},
) => {
  const maxBatch = options.maxBatch ?? 100;
  const objects = new Map<string, string>();
  const bucket = { put: async (key: string, value: string) => void objects.set(key, value) };
  let pending: string[] = [];
  const deliver = async (batch: string[]) => {
    if (options.shuffle) batch.reverse();
    await archiveAuditBatch(bucket, batch);
  };
  const queue: AuditQueue = {
    async send(body) {
      pending.push(body);
      if (pending.length >= maxBatch) {
        const batch = pending;
        pending = [];
        await deliver(batch);
      }
    },
  };
  return {
    queue,
    objects,
    /** Archives what is still batched. */
    async flush() {
      const batch = pending;
      pending = [];
      if (batch.length > 0) await deliver(batch);
    },
    /** One tenant's archived log: its objects in key order, joined. */
    lines: (tenant: string): string[] =>
      [...objects.keys()]
        .filter((key) => key.startsWith(`audit/${tenant}/`))
        .sort()
        .flatMap((key) => (objects.get(key) ?? '').split('\n').filter((l) => l !== '')),
  };
};
