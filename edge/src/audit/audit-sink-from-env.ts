import type { AuditSink } from '@switchback/router-core';
import { type AuditBucket, archiveAuditBatch } from './archive-audit-batch.ts';
import { type AuditQueue, createQueueAuditSink } from './queue-audit-sink.ts';

/**
 * The bindings the edge's audit log reads; all optional but the HMAC secret.
 * `SWITCHBACK_AUDIT_SECRET` is an optional secret, so `wrangler types` cannot know of it.
 */
export type AuditEnv = {
  SWITCHBACK_HMAC_SECRET: string;
  SWITCHBACK_AUDIT_SECRET?: string;
  AUDIT_QUEUE?: AuditQueue;
  AUDIT_BUCKET?: AuditBucket;
};

/**
 * The audit secret: `SWITCHBACK_AUDIT_SECRET` as regional reads it, so one key verifies both
 * tiers' logs; without it the Worker's own HMAC secret, so a Worker deployed before audit existed
 * signs its events rather than dropping them.
 */
export const auditSecretFromEnv = (env: AuditEnv): string =>
  env.SWITCHBACK_AUDIT_SECRET || env.SWITCHBACK_HMAC_SECRET;

/**
 * Where signed lines go: the Queue (production, archived to R2 by the consumer in batches), else
 * straight to the R2 bucket one object a line (the local stack has no Queue), else the log.
 * `ordersBySeq`: the archive files lines by `seq`, so they may be sent in any order.
 */
export const auditSinkFromEnv = (env: AuditEnv): AuditSink & { ordersBySeq: boolean } => {
  const { AUDIT_QUEUE: queue, AUDIT_BUCKET: bucket } = env;
  if (queue !== undefined) return { ...createQueueAuditSink(queue), ordersBySeq: true };
  if (bucket !== undefined) {
    return {
      async write(line) {
        await archiveAuditBatch(bucket, [line]);
      },
      ordersBySeq: true,
    };
  }
  return { write: (line) => console.log(line), ordersBySeq: false };
};
