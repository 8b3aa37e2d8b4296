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
 * straight to the R2 bucket (the local stack has no Queue), else the log.
 * `ordersBySeq`: the archive files lines by `seq`, so they may be sent in any order.
 */
export const auditSinkFromEnv = (env: AuditEnv): AuditSink & { ordersBySeq: boolean } => {
  const { AUDIT_QUEUE: queue, AUDIT_BUCKET: bucket } = env;
  if (queue !== undefined) return { ...createQueueAuditSink(queue), ordersBySeq: true };
  if (bucket !== undefined) return { ...createBucketAuditSink(bucket), ordersBySeq: true };
  return { write: (line) => console.log(line), ordersBySeq: false };
};

/** How long lines wait in the local sink to be written together, at most. */
const BUCKET_FLUSH_MS = 250;

/**
 * Lines straight to R2, for a Worker without the Queue (the local stack): gathered for at most
 * `flushMs` and written as one object, or at once on `flush`. A write returns before the line is
 * in the bucket: an object a line cost the local Worker about half its throughput. Lines still
 * waiting when the object is evicted are lost, and `audit verify` names the gap (the chain's head
 * was stored as it advanced); production's Queue has no such window.
 */
export const createBucketAuditSink = (
  bucket: AuditBucket,
  flushMs = BUCKET_FLUSH_MS,
): Required<AuditSink> => {
  let waiting: string[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let written: Promise<unknown> = Promise.resolve();
  const flush = async (): Promise<void> => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const lines = waiting;
    waiting = [];
    if (lines.length > 0) written = written.then(() => archiveAuditBatch(bucket, lines));
    await written;
  };
  return {
    write(line) {
      waiting.push(line);
      timer ??= setTimeout(() => {
        flush().catch((error: unknown) =>
          console.error(
            JSON.stringify({
              level: 'error',
              msg: 'audit lines not archived',
              error: error instanceof Error ? error.message : String(error),
            }),
          ),
        );
      }, flushMs);
    },
    flush,
  };
};
