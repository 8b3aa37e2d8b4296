import { randomBytes } from 'node:crypto';
import {
  type BackgroundJob,
  type BackgroundQueue,
  type BackgroundRunDeps,
  createBackgroundRuns,
  createInProcessQueue,
  createJobSigner,
  type JobSigner,
  RouterError,
  runBackgroundJob,
  type SealedJob,
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
  /** Seals this replica's jobs and signs their runs' callers; the door checks them with it. */
  jobs: JobSigner;
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

const noSecret = (): never => {
  throw new RouterError(
    'invalid_request',
    "background: true is not served here: the replicas' shared queue needs SWITCHBACK_HMAC_SECRET at regional to sign its runs, and none is set.",
    { param: 'background' },
  );
};

const brokenSeal = (): never => {
  throw new RouterError(
    'internal_error',
    "The background job's seal does not hold (its data was changed at rest, it was sealed under another secret, or it is over a day old); it was not run.",
  );
};

/**
 * Regional's background runs: on the state store's shared queue when it has one (any replica
 * runs a job, a dead replica's job is resumed, a cancel anywhere stops it), else in this process.
 * A job keeps its caller's tenant and key id, never the key: it is sealed under the regional's
 * `secret` when queued on the shared queue, its seal checked when claimed, and each run presents
 * its caller to the door signed afresh (`JobSigner`). Without a secret, runs in process are
 * signed under one of this process's own; the shared queue takes none.
 */
export const regionalBackground = (
  deps: Omit<BackgroundRunDeps, 'present'>,
  shared: SharedJobQueue | undefined,
  worker: BackgroundWorkerConfig = DEFAULT_BACKGROUND_WORKER,
  secret: string | undefined = undefined,
): RegionalBackground => {
  const jobs = createJobSigner(secret || randomBytes(32).toString('hex'));
  const present = (job: BackgroundJob) => jobs.present(job);
  if (shared === undefined) {
    const run = (job: BackgroundJob, signal: AbortSignal) =>
      runBackgroundJob({ ...deps, present }, job, signal);
    return {
      queue: createInProcessQueue(createBackgroundRuns(), run),
      jobs,
      stop: async () => {},
      drain: () => {},
    };
  }
  const run = (job: SealedJob, signal: AbortSignal) => {
    const opened = async () => ((await jobs.sealed(job)) ? present(job) : brokenSeal());
    return runBackgroundJob({ ...deps, present: opened }, job, signal);
  };
  const running: BackgroundWorker = startBackgroundWorker({ queue: shared, run, ...worker });
  return {
    queue: {
      async enqueue(job) {
        if (!secret) noSecret();
        await shared.push(await jobs.seal(job)).catch(unavailable);
      },
      async cancel(tenantId, id) {
        running.abort(jobKey(tenantId, id));
        await shared.cancel(tenantId, id).catch(unavailable);
      },
    },
    jobs,
    stop: (opts) => running.stop(opts),
    drain: () => running.drain(),
  };
};
