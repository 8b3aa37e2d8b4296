import type { ChatMessage } from '../openai/chat-request.ts';
import { type BackgroundRuns, runKey } from './background-runs.ts';
import type { ResponseObject } from './response-object.ts';
import type { ResponsesRequest } from './responses-request.ts';

/**
 * A queued background run, as data: any replica that takes it from a shared queue can run it
 * (its chat request is rebuilt from `chat`, the response re-stored from the rest).
 */
export type BackgroundJob = {
  tenantId: string;
  /** The id of the API key that queued it: the run is served as that key's, while it is valid. */
  keyId: string;
  request: ResponsesRequest;
  /** The conversation before the request (its `previous_response_id`'s). */
  history: ChatMessage[];
  /** The response as stored `queued`. */
  queued: ResponseObject;
  /**
   * The run's chat-completions request: where, its headers (idempotency-key, workflow, session;
   * never the client's credentials: its door presents the run's caller signed instead, see
   * `JobSigner`) and body.
   */
  chat: { url: string; headers: [string, string][]; body: string };
};

/** Where a door's background runs wait and are cancelled: this process, or a shared queue. */
export type BackgroundQueue = {
  enqueue(job: BackgroundJob): Promise<void>;
  /** Stops the tenant's run `id` wherever it runs (or before it starts). */
  cancel(tenantId: string, id: string): Promise<void>;
};

/** Runs a job until it ends or its signal aborts it (a cancel). */
export type BackgroundRunner = (job: BackgroundJob, signal: AbortSignal) => Promise<void>;

/** The job's chat request with the headers that present its caller, carrying `signal`. */
export const jobChatRequest = (
  job: BackgroundJob,
  caller: Headers,
  signal: AbortSignal,
): Request => {
  const headers = new Headers(job.chat.headers);
  caller.forEach((value, name) => {
    headers.set(name, value);
  });
  return new Request(job.chat.url, { method: 'POST', headers, body: job.chat.body, signal });
};

/** A queue that runs each job at once in this process: one replica's background runs. */
export const createInProcessQueue = (
  runs: BackgroundRuns,
  run: BackgroundRunner,
): BackgroundQueue => ({
  async enqueue(job) {
    const key = runKey(job.tenantId, job.queued.id);
    const signal = runs.start(key);
    void run(job, signal)
      .catch(() => {})
      .finally(() => runs.end(key));
  },
  async cancel(tenantId, id) {
    runs.cancel(runKey(tenantId, id));
  },
});
