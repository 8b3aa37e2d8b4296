import type { RouterConfig } from '../config/schema.ts';
import { asRouterError, type ErrorEnvelope, errorEnvelope } from '../errors/router-error.ts';
import type { ChatMessage } from '../openai/chat-request.ts';
import type { ChatCompletion } from '../openai/chat-response.ts';
import { configuredWorkflows } from '../quota/request-classes.ts';
import { type BackgroundRuns, runKey } from './background-runs.ts';
import { fromChatCompletion } from './from-chat-completion.ts';
import type { ResponseObject } from './response-object.ts';
import type { ResponseStore } from './response-store.ts';
import type { ResponsesRequest } from './responses-request.ts';
import { keptResponse } from './stored-responses.ts';

/** Background runs take the `batch` budget and quota class when the config names it. */
export const BACKGROUND_WORKFLOW = 'batch';

export type BackgroundStart = {
  config: RouterConfig;
  store: ResponseStore;
  runs: BackgroundRuns;
  tenantId: string;
  request: ResponsesRequest;
  history: readonly ChatMessage[];
  /** The response as `queued`: what the client gets at once. */
  queued: ResponseObject;
  /** The chat request of the run, given the run's signal (a cancel aborts it). */
  chatRequest: (signal: AbortSignal, workflow: string | undefined) => Request;
  chat: (request: Request) => Response | Promise<Response>;
};

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

/**
 * `background: true`: the response is stored `queued` and answered at once; the run goes on
 * without the client (`in_progress`, then `completed`, `incomplete` or `failed`, each stored), on
 * the door's chat pipeline in the `batch` workflow when the config names one. A cancel aborts
 * the run's chat request (so its upstream call) and the run writes nothing after it.
 */
export const startBackground = async (start: BackgroundStart): Promise<void> => {
  const { store, runs, tenantId, request, history, queued } = start;
  const keep = (response: ResponseObject) =>
    store.put(
      keptResponse({
        tenantId,
        request,
        response,
        history,
        ttlSeconds: start.config.responses.ttlSeconds,
        now: Date.now(),
      }),
    );
  await keep(queued);
  const key = runKey(tenantId, queued.id);
  const signal = runs.start(key);
  const workflow = configuredWorkflows(start.config).has(BACKGROUND_WORKFLOW)
    ? BACKGROUND_WORKFLOW
    : undefined;
  const running: ResponseObject = { ...queued, status: 'in_progress' };
  const run = async () => {
    await keep(running);
    let response: ResponseObject;
    try {
      response = await finalResponse(
        running,
        await start.chat(start.chatRequest(signal, workflow)),
      );
    } catch (error) {
      response = failed(running, errorEnvelope(asRouterError(error)).error);
    }
    // A cancelled run's status is the cancel's to write.
    if (!signal.aborted) await keep(response);
  };
  void run()
    .catch(() => {})
    .finally(() => runs.end(key));
};
