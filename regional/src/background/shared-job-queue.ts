import type { SealedJob } from '@switchback/router-core';

/** A claimed job: its key in the queue, and the job (none when its data expired first). */
export type ClaimedJob = { key: string; job: SealedJob | undefined };

/**
 * Background jobs shared by the replicas of a deployment (Redis): queued in order, each taken
 * by one replica under a lease it renews; a lease left to expire (its replica died) puts the job
 * back for another.
 */
export interface SharedJobQueue {
  /** Queues a job sealed by its door (kept at rest: no client secret in it). */
  push(job: SealedJob): Promise<void>;
  /** Takes the oldest queued job for `owner` under a lease of `leaseMs`; none when empty. */
  claim(owner: string, leaseMs: number): Promise<ClaimedJob | undefined>;
  /** Extends the lease; false when it is no longer `owner`'s (it expired and was requeued). */
  renew(key: string, owner: string, leaseMs: number): Promise<boolean>;
  /** The run ended: the job is gone. */
  finish(key: string, owner: string): Promise<void>;
  /** `owner` gives the job back unrun (it is stopping): first in the queue again. */
  release(key: string, owner: string): Promise<void>;
  /** Requeues the jobs whose lease expired; how many. */
  reclaim(): Promise<number>;
  /** Flags the tenant's job `id` cancelled, for the replica running it to see. */
  cancel(tenantId: string, id: string): Promise<void>;
  cancelled(key: string): Promise<boolean>;
}

/** The key of the tenant's response `id` in the queue. */
export const jobKey = (tenantId: string, id: string): string => `{${tenantId}}:${id}`;
