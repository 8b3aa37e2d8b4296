import {
  type BackgroundQueue,
  type BackgroundRunDeps,
  createBackgroundRuns,
  createInProcessQueue,
  RouterError,
  runBackgroundJob,
} from '@switchback/router-core';
import { type BackgroundWorker, startBackgroundWorker } from './background-worker.ts';
import { jobKey, type SharedJobQueue } from './shared-job-queue.ts';

/** How a replica takes shared background jobs (`state.kind: redis`). */
export type BackgroundWorkerConfig = { concurrency: number; leaseMs: number; pollMs: number };

export const DEFAULT_BACKGROUND_WORKER: BackgroundWorkerConfig = {
  concurrency: 4,
  leaseMs: 10_000,
  pollMs: 200,
};

export type RegionalBackground = {
  queue: BackgroundQueue;
  /** Stops taking jobs (see `BackgroundWorker.stop`); nothing to stop in process. */
  stop: BackgroundWorker['stop'];
  /** Stops taking jobs, letting the runs here end (see `BackgroundWorker.drain`). */
  drain(): void;
};

const unavailable = (cause: unknown): never => {
  throw new RouterError(
    'upstream_unavailable',
    "The router's shared state (background jobs) is unavailable; retry shortly.",
    { retryAfterSeconds: 1, cause },
  );
};

/**
 * Regional's background runs: on the state store's shared queue when it has one (any replica
 * runs a job, a dead replica's job is resumed, a cancel anywhere stops it), else in this process.
 */
export const regionalBackground = (
  deps: BackgroundRunDeps,
  shared: SharedJobQueue | undefined,
  worker: BackgroundWorkerConfig = DEFAULT_BACKGROUND_WORKER,
): RegionalBackground => {
  const run = (job: Parameters<typeof runBackgroundJob>[1], signal: AbortSignal) =>
    runBackgroundJob(deps, job, signal);
  if (shared === undefined) {
    return {
      queue: createInProcessQueue(createBackgroundRuns(), run),
      stop: async () => {},
      drain: () => {},
    };
  }
  const running: BackgroundWorker = startBackgroundWorker({ queue: shared, run, ...worker });
  return {
    queue: {
      enqueue: (job) => shared.push(job).catch(unavailable),
      async cancel(tenantId, id) {
        running.abort(jobKey(tenantId, id));
        await shared.cancel(tenantId, id).catch(unavailable);
      },
    },
    stop: (opts) => running.stop(opts),
    drain: () => running.drain(),
  };
};
