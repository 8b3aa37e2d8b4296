import type { RouterConfig } from '../config/schema.ts';
import { asRouterError, type ErrorEnvelope, errorEnvelope } from '../errors/router-error.ts';
import type { ChatCompletion } from '../openai/chat-response.ts';
import { configuredWorkflows } from '../quota/request-classes.ts';
import { type BackgroundJob, type BackgroundQueue, jobChatRequest } from './background-queue.ts';
import { coalescedAppends } from './coalesced-appends.ts';
import { fromChatCompletion } from './from-chat-completion.ts';
import type { ResponseEventLog } from './response-event-log.ts';
import { responseEventStream } from './response-event-stream.ts';
import type { ResponseObject } from './response-object.ts';
import type { ResponseStore } from './response-store.ts';
import { keptResponse } from './stored-responses.ts';
import type { SequencedEvent } from './stream-events.ts';

/** Background runs take the `batch` budget and quota class when the config names it. */
export const BACKGROUND_WORKFLOW = 'batch';

export type BackgroundStart = {
  config: RouterConfig;
  store: ResponseStore;
  queue: BackgroundQueue;
  /** The job: the response as `queued` (what the client gets at once) and its chat request. */
  job: BackgroundJob;
};

/**
 * What a run needs where it runs: the config, the store, the door's chat pipeline and how the
 * run presents its caller there (the job keeps no key).
 */
export type BackgroundRunDeps = {
  config: RouterConfig;
  store: ResponseStore;
  chat: (request: Request) => Response | Promise<Response>;
  /** The headers that present the job's caller to the door (`JobSigner.present`). */
  present: (job: BackgroundJob) => Promise<Headers>;
  /** Where a run's stream events are kept, for `GET …?stream=true` to replay; none keeps none. */
  events?: ResponseEventLog | undefined;
};

/** The workflow a background run is served in: `batch` when the config names it. */
export const backgroundWorkflow = (config: RouterConfig): string | undefined =>
  configuredWorkflows(config).has(BACKGROUND_WORKFLOW) ? BACKGROUND_WORKFLOW : undefined;

const failed = (shell: ResponseObject, error: ErrorEnvelope['error']): ResponseObject => ({
  ...shell,
  status: 'failed',
  error: { code: error.code, message: error.message },
});

/** The run's final response from the chat pipeline's answer (a refusal is a failed response). */
const finalResponse = async (shell: ResponseObject, answer: Response): Promise<ResponseObject> => {
  if (answer.status === 200) {
    return fromChatCompletion(shell, (await answer.json()) as ChatCompletion);
  }
  const envelope = (await answer.json().catch(() => ({}))) as Partial<ErrorEnvelope>;
  return failed(
    shell,
    envelope.error ?? errorEnvelope(asRouterError(new Error(`status ${answer.status}`))).error,
  );
};

const keepOf =
  (deps: Pick<BackgroundRunDeps, 'config' | 'store'>, job: BackgroundJob) =>
  (response: ResponseObject): Promise<void> =>
    deps.store.put(
      keptResponse({
        tenantId: job.tenantId,
        request: job.request,
        response,
        history: job.history,
        ttlSeconds: deps.config.responses.ttlSeconds,
        now: Date.now(),
      }),
    );

/**
 * `background: true`: the response is stored `queued` and its job queued; the client is
 * answered at once (with what to answer). Where the job runs is the queue's (this process, or
 * any replica). A response already stored under the id (a create retried under the same
 * `idempotency-key`) is answered as it is now, and not queued again; one that could not be
 * queued is not kept.
 */
export const queueBackground = async (start: BackgroundStart): Promise<ResponseObject> => {
  const { job } = start;
  const existing = await start.store.get(job.tenantId, job.queued.id);
  if (existing !== undefined) return existing.response;
  await keepOf(start, job)(job.queued);
  try {
    await start.queue.enqueue(job);
  } catch (error) {
    // Not queued, so not kept: a retry under the same key queues it then, instead of finding a
    // response queued forever.
    await start.store.delete(job.tenantId, job.queued.id).catch(() => {});
    throw error;
  }
  return job.queued;
};

const decoder = new TextDecoder();

/** The SSE frames of a Responses event stream, back as events (one array per read). */
async function* sequencedEvents(
  stream: ReadableStream<Uint8Array>,
): AsyncGenerator<SequencedEvent[]> {
  const reader = stream.getReader();
  let buffered = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffered += decoder.decode(value, { stream: true });
    const frames = buffered.split('\n\n');
    buffered = frames.pop() ?? '';
    yield frames.flatMap((frame) => {
      const data = frame.split('\n').find((line) => line.startsWith('data: '));
      return data === undefined ? [] : [JSON.parse(data.slice(6)) as SequencedEvent];
    });
  }
}

/**
 * A streamed chat answer as the run's final response, its events kept in the log as they come
 * (a restarted run's events continue the numbers already kept: the replayed ones are skipped).
 */
const streamedResponse = async (
  deps: BackgroundRunDeps,
  job: BackgroundJob,
  running: ResponseObject,
  body: ReadableStream<Uint8Array>,
  signal: AbortSignal,
): Promise<ResponseObject> => {
  let final = running;
  const stream = responseEventStream(running, body, async (response) => {
    final = response;
  });
  const ttlMs = deps.config.responses.ttlSeconds * 1000;
  const kept = (await deps.events?.after(job.tenantId, job.queued.id, -1))?.length ?? 0;
  const { events: log } = deps;
  const appends = coalescedAppends(
    async (events) => await log?.append(job.tenantId, job.queued.id, events, ttlMs),
  );
  for await (const events of sequencedEvents(stream)) {
    if (signal.aborted) break;
    appends.push(events.filter((event) => event.sequence_number >= kept));
  }
  await appends.done();
  return final;
};

const ended = (status: ResponseObject['status'] | undefined): boolean =>
  status !== 'queued' && status !== 'in_progress';

/** Statuses of a chat answer that another attempt may not get (quota, upstream, budget). */
const TRANSIENT = new Set([429, 500, 502, 503, 504]);

/** One call of a run: its final response, and whether another attempt might end otherwise. */
export type BackgroundCall = { response: ResponseObject; retryable: boolean };

/**
 * A run's first step: its response stored `in_progress` (what it is answered as while it
 * runs), or undefined when it is not to run (cancelled, ended or gone, or `signal` aborted).
 */
export const startBackgroundRun = async (
  deps: Pick<BackgroundRunDeps, 'config' | 'store'>,
  job: BackgroundJob,
  signal?: AbortSignal,
): Promise<ResponseObject | undefined> => {
  const stored = await deps.store.get(job.tenantId, job.queued.id);
  if (stored === undefined || ended(stored.response.status) || signal?.aborted) return undefined;
  const running: ResponseObject = { ...job.queued, status: 'in_progress' };
  await keepOf(deps, job)(running);
  return running;
};

/**
 * A run's call: its chat request through the door's pipeline (in the `batch` workflow when the
 * config names one), the streamed answer's events kept as they come, to its final response
 * (`completed`, `incomplete` or `failed`). A failure before any event is `retryable` when its
 * status is transient (429, 5xx) or the call threw; a refusal (4xx) is not.
 */
export const callBackgroundRun = async (
  deps: BackgroundRunDeps,
  job: BackgroundJob,
  running: ResponseObject,
  signal: AbortSignal,
): Promise<BackgroundCall> => {
  try {
    const answer = await deps.chat(jobChatRequest(job, await deps.present(job), signal));
    const streamed =
      answer.status === 200 &&
      answer.body !== null &&
      (answer.headers.get('content-type') ?? '').startsWith('text/event-stream');
    if (streamed && answer.body !== null) {
      const response = await streamedResponse(deps, job, running, answer.body, signal);
      return { response, retryable: false };
    }
    return {
      response: await finalResponse(running, answer),
      retryable: TRANSIENT.has(answer.status),
    };
  } catch (error) {
    return {
      response: failed(running, errorEnvelope(asRouterError(error)).error),
      retryable: true,
    };
  }
};

/**
 * A run's last step: its final response stored, unless a cancel was stored first (on this
 * replica or another), whose status stands.
 */
export const endBackgroundRun = async (
  deps: Pick<BackgroundRunDeps, 'config' | 'store'>,
  job: BackgroundJob,
  response: ResponseObject,
): Promise<void> => {
  const now = await deps.store.get(job.tenantId, job.queued.id);
  if (now?.response.status === 'cancelled') return;
  await keepOf(deps, job)(response);
};

/**
 * Runs a background job: `in_progress`, then `completed`, `incomplete` or `failed`, each stored,
 * on the door's chat pipeline (in the `batch` workflow when the config names one). A job whose
 * response was cancelled (or has ended, or is gone) is not run; a run aborted by its signal (a
 * cancel) writes nothing after it, the cancel's status stands. Run again after a replica died,
 * it restarts the chat request; its idempotency key, if any, makes that safe.
 */
export const runBackgroundJob = async (
  deps: BackgroundRunDeps,
  job: BackgroundJob,
  signal: AbortSignal,
): Promise<void> => {
  const running = await startBackgroundRun(deps, job, signal);
  if (running === undefined) return;
  const { response } = await callBackgroundRun(deps, job, running, signal);
  if (signal.aborted) return;
  await endBackgroundRun(deps, job, response);
};
