import { randomUUID } from 'node:crypto';
import type { SealedJob } from '@switchback/router-core';
import type { SharedJobQueue } from './shared-job-queue.ts';

export type BackgroundWorkerOptions = {
  queue: SharedJobQueue;
  /** Runs a claimed job until it ends or its signal aborts it. */
  run: (job: SealedJob, signal: AbortSignal) => Promise<void>;
  /** Runs at once on this replica; 0 takes none (a replica that only queues). */
  concurrency: number;
  /** A run's lease: a replica that stops renewing it for this long has its job taken back. */
  leaseMs: number;
  /** How often the queue is looked at, and each run's lease renewed and cancel flag read. */
  pollMs: number;
  owner?: string;
};

export type BackgroundWorker = {
  /** Aborts the run of `key` if it runs here; whether it did. */
  abort(key: string): boolean;
  readonly running: number;
  /**
   * Stops taking jobs and aborts the runs here; `requeue` gives them back at once (a replica
   * shutting down), without it their leases are left to expire (as a killed replica's are).
   */
  stop(opts?: { requeue?: boolean }): Promise<void>;
  /** Stops taking jobs; the runs here go on to their end (an app replaced by a config reload). */
  drain(): void;
};

type Active = { controller: AbortController; beat: ReturnType<typeof setInterval> };

/**
 * Takes background jobs from the shared queue, up to `concurrency` at a time: each run renews
 * its lease and reads its cancel flag every `pollMs` (a cancel at any replica aborts it here,
 * so its upstream call); expired leases are requeued on every look. Failures of the store are
 * retried at the next look; a lease that could not be renewed runs on until it is lost.
 */
export const startBackgroundWorker = (options: BackgroundWorkerOptions): BackgroundWorker => {
  const { queue, leaseMs, pollMs } = options;
  const owner = options.owner ?? randomUUID();
  const active = new Map<string, Active>();
  const released = new Set<string>();
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const begin = (key: string, run: Promise<void>, entry: Active) => {
    active.set(key, entry);
    void run
      .catch(() => {})
      .finally(async () => {
        clearInterval(entry.beat);
        active.delete(key);
        if (!released.delete(key)) await queue.finish(key, owner).catch(() => {});
      });
  };

  const startRun = (key: string, job: SealedJob) => {
    const controller = new AbortController();
    const beat = setInterval(() => {
      void (async () => {
        const mine = await queue.renew(key, owner, leaseMs).catch(() => true);
        const cancelled = await queue.cancelled(key).catch(() => false);
        if (!mine || cancelled)
          controller.abort(new Error('The background response was cancelled.'));
      })();
    }, pollMs);
    beat.unref();
    begin(key, options.run(job, controller.signal), { controller, beat });
  };

  const look = async () => {
    await queue.reclaim();
    while (!stopped && active.size < options.concurrency) {
      const claimed = await queue.claim(owner, leaseMs);
      if (claimed === undefined) return;
      if (claimed.job === undefined) await queue.finish(claimed.key, owner);
      else startRun(claimed.key, claimed.job);
    }
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      void look()
        .catch(() => {})
        .finally(schedule);
    }, pollMs);
    timer.unref();
  };
  if (options.concurrency > 0) schedule();

  return {
    abort(key) {
      const entry = active.get(key);
      entry?.controller.abort(new Error('The background response was cancelled.'));
      return entry !== undefined;
    },
    get running() {
      return active.size;
    },
    drain() {
      stopped = true;
      clearTimeout(timer);
    },
    async stop({ requeue = true } = {}) {
      stopped = true;
      clearTimeout(timer);
      for (const [key, entry] of active) {
        clearInterval(entry.beat);
        released.add(key);
        if (requeue) await queue.release(key, owner).catch(() => {});
        entry.controller.abort(new Error('The replica running it stopped.'));
      }
    },
  };
};
