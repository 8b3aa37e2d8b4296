import type { AuditSink } from '@switchback/router-core';

/** The producer side of a Queue, as the audit sink uses it (`Queue<string>` fits). */
export type AuditQueue = { send(body: string): Promise<unknown> };

/** Sends each signed event line to a Queue; its consumer archives batches to R2. */
export const createQueueAuditSink = (queue: AuditQueue): AuditSink => ({
  async write(line) {
    await queue.send(line);
  },
});
