import {
  WorkflowEntrypoint,
  type WorkflowEvent,
  type WorkflowStep,
  type WorkflowStepConfig,
} from 'cloudflare:workers';
import {
  type BackgroundJob,
  type BackgroundRunDeps,
  callBackgroundRun,
  endBackgroundRun,
  type ResponseObject,
  type ResponseStore,
  startBackgroundRun,
} from '@switchback/router-core';
import {
  edgeEventLog,
  edgeJobStore,
  edgeResponseStore,
} from '../objects/stored-response-object.ts';
import { servedApps } from '../served-apps.ts';
import { errorInfoOf, failUnfinished, unfinished } from './fail-unfinished.ts';
import { presentJobCaller } from './job-callers.ts';

/** What an instance is created with: which response it runs (its job waits in that object). */
export type BackgroundRun = { tenantId: string; id: string };

/**
 * The call step's retries, on a failure another attempt may not get (429, 5xx, a network error)
 * before anything streamed; the chat pipeline's own failover runs within each attempt.
 */
export const CALL_STEP: WorkflowStepConfig = {
  retries: { limit: 2, delay: '2 seconds', backoff: 'exponential' },
  timeout: '15 minutes',
};

/** How often a running call looks for a cancel stored by any isolate. */
const CANCEL_POLL_MS = 200;

/** A step's failure that carries the failed response's error, for after the last retry. */
const retryableFailure = (response: ResponseObject): Error =>
  new Error(JSON.stringify(response.error ?? { code: 'upstream_error', message: 'failed' }));

const failedAfterRetries = (running: ResponseObject, error: unknown): ResponseObject => ({
  ...running,
  status: 'failed',
  error: errorInfoOf(error),
});

/**
 * The call, aborted (with its upstream request) once its response is stored `cancelled`: the
 * cancel may land on any isolate, so the call looks at the stored status while it runs.
 */
const callUnlessCancelled = async (
  deps: BackgroundRunDeps,
  job: BackgroundJob,
  running: ResponseObject,
) => {
  const controller = new AbortController();
  let done = false;
  const watch = (async () => {
    while (!done) {
      await new Promise((resolve) => setTimeout(resolve, CANCEL_POLL_MS));
      const kept = await deps.store.get(job.tenantId, job.queued.id).catch(() => undefined);
      if (kept?.response.status === 'cancelled') {
        controller.abort(new Error('The background response was cancelled.'));
        return;
      }
    }
  })();
  try {
    const call = await callBackgroundRun(deps, job, running, controller.signal);
    // A cancelled call is not tried again.
    return { ...call, retryable: call.retryable && !controller.signal.aborted };
  } finally {
    done = true;
    await watch;
  }
};

/**
 * A `background: true` response as a Workflow instance. Steps: `start` (stored `in_progress`,
 * or nothing to run: cancelled, ended or gone), `call` (the job's chat request through the
 * Worker's whole pipeline: auth as the key that queued it, policy, quota, routing in the `batch`
 * workflow, serving with the edge's failover; its events kept as they stream; retried by
 * `CALL_STEP`), `store` (`completed`, `incomplete` or `failed`, unless a cancel was stored first;
 * the job dropped). A step's result is capped (1 MiB) and an answer is not: `call` keeps the
 * response it ended with in the response's object (each attempt overwriting the last) and
 * returns only its status, and `store` reads it there. `start`'s result is JSON text: a response
 * holds `unknown` fields (metadata, schemas) that a step's result type refuses. A step replayed
 * after a restart returns what it returned; one that had not ended runs again (the job's
 * idempotency key, if any, makes that safe). An instance that ends in error leaves its response
 * `failed` with that error (and a read that finds one unfinished settles it: settle-on-read.ts).
 */
export class BackgroundResponseWorkflow extends WorkflowEntrypoint<Env, BackgroundRun> {
  override async run(event: Readonly<WorkflowEvent<BackgroundRun>>, step: WorkflowStep) {
    const { tenantId, id } = event.payload;
    const jobs = edgeJobStore(this.env.RESPONSES);
    const store = edgeResponseStore(this.env.RESPONSES);
    const job = await jobs.get(tenantId, id);
    if (job === undefined) return 'gone';
    try {
      return await this.runJob(job, step, store);
    } catch (error) {
      // A step that failed for good, or a config that could not be served: the instance ends in
      // error, and so does its response (a cancel stored first stands).
      await failUnfinished(store, tenantId, id, errorInfoOf(error)).catch(() => {});
      throw error;
    }
  }

  private async runJob(job: BackgroundJob, step: WorkflowStep, store: ResponseStore) {
    const { tenantId } = job;
    const id = job.queued.id;
    const jobs = edgeJobStore(this.env.RESPONSES);
    const { config, apps } = await servedApps(this.env, this.ctx);
    const deps: BackgroundRunDeps = {
      config,
      store,
      events: edgeEventLog(this.env.RESPONSES),
      // In process: the request object itself says whose run it is (job-callers.ts).
      present: async () => new Headers(),
      chat: (request) =>
        apps.pick(request.headers).fetch(presentJobCaller(request, job), this.env, this.ctx),
    };

    const started = await step.do('start', async () =>
      JSON.stringify((await startBackgroundRun(deps, job)) ?? null),
    );
    const running = JSON.parse(started) as ResponseObject | null;
    if (running === null) {
      // Cancelled before it ran (or gone): nothing will read the job.
      await jobs.drop(tenantId, id);
      return 'not run';
    }
    let failure: ResponseObject | undefined;
    try {
      await step.do('call', CALL_STEP, async () => {
        const { response, retryable } = await callUnlessCancelled(deps, job, running);
        if (retryable) throw retryableFailure(response);
        await jobs.putOutcome(tenantId, response);
        return response.status;
      });
    } catch (error) {
      failure = failedAfterRetries(running, error);
    }
    return step.do('store', async () => {
      const final = failure ?? (await jobs.outcome(tenantId, id));
      if (final === undefined) {
        // Run again after it dropped the outcome (the step's end was not recorded): what it
        // stored stands.
        const kept = await store.get(tenantId, id);
        if (kept !== undefined && !unfinished(kept.response.status)) return kept.response.status;
        throw new Error('The background run ended, but what its call answered was not kept.');
      }
      await endBackgroundRun(deps, job, final);
      await jobs.drop(tenantId, id);
      return final.status;
    });
  }
}
