import { bearerKey, tenantOfKey } from '../auth/api-key.ts';
import type { RouterConfig, TenantConfig } from '../config/schema.ts';
import { sha256Hex } from '../crypto/sha256.ts';
import { type ErrorEnvelope, RouterError, toErrorResponse } from '../errors/router-error.ts';
import type { ChatMessage } from '../openai/chat-request.ts';
import type { ChatCompletion } from '../openai/chat-response.ts';
import { requestIdFrom } from '../serve/request-id.ts';
import { backgroundWorkflow, queueBackground } from './background.ts';
import type { BackgroundJob, BackgroundQueue } from './background-queue.ts';
import { fromChatCompletion } from './from-chat-completion.ts';
import { parseResponsesBody } from './parse-responses-body.ts';
import type { ResponseEventLog } from './response-event-log.ts';
import { responseEventStream } from './response-event-stream.ts';
import { responseNotFound } from './response-not-found.ts';
import { newId, type ResponseObject, responseShell } from './response-object.ts';
import type { ResponseStore } from './response-store.ts';
import type { ResponsesRequest } from './responses-request.ts';
import { keptResponse } from './stored-responses.ts';
import { streamStoredResponse } from './stream-stored-response.ts';
import { toChatRequest } from './to-chat-request.ts';

/** What a door gives `serveResponses`: its config, its body reader and its chat pipeline. */
export type ResponsesDoor = {
  config: RouterConfig;
  /** The body as text under the door's limits (size, UTF-8, and its read deadline if any). */
  readBody: (request: Request) => Promise<string>;
  /** `POST /v1/chat/completions` through the door's whole pipeline (auth to answer). */
  chat: (request: Request) => Response | Promise<Response>;
  /** Stored responses (`store`, `previous_response_id`); none stores nothing and finds nothing. */
  store?: ResponseStore;
  /** Queues `background: true` responses; a door without it refuses them. */
  background?: BackgroundQueue;
  /** Background runs' events: with them, `background` with `stream: true` streams the run. */
  events?: ResponseEventLog;
};

const refuse = (message: string, param: string) =>
  new RouterError('invalid_request', message, { param });

/** What a background request must be at this door: served here, stored, not streamed. */
const checkBackground = (request: ResponsesRequest, door: ResponsesDoor): void => {
  if (door.background === undefined || door.store === undefined) {
    throw refuse('background: true is not served at this door yet; call regional.', 'background');
  }
  if (request.store === false) {
    throw refuse('A background response is stored: drop store: false.', 'store');
  }
  if (request.stream === true && door.events === undefined) {
    throw refuse(
      'A background response is not streamed here: poll GET /v1/responses/{id} instead.',
      'stream',
    );
  }
};

// Headers the chat request is not given: its body is new, and internal headers are the doors'.
const DROPPED = /^(content-length|content-type|transfer-encoding|x-switchback-.*)$/;

/**
 * The client's headers a background job keeps: what the chat pipeline reads of a request, and
 * nothing that could be a credential (the run presents its caller signed instead).
 */
const JOB_HEADERS = new Set([
  'idempotency-key',
  'x-session-affinity',
  'x-session-id',
  'x-workflow',
]);

/** A chat-pipeline `param` in the Responses request's terms. */
const responsesParam = (param: string | null): string | null => {
  if (param === null) return null;
  if (param.startsWith('messages')) return 'input';
  const tool = /^tools\[(\d+)\]\.function(\..+)?$/.exec(param);
  if (tool) return `tools[${tool[1]}]${tool[2] ?? ''}`;
  const renamed: Record<string, string> = {
    max_completion_tokens: 'max_output_tokens',
    max_tokens: 'max_output_tokens',
    response_format: 'text.format',
    logprobs: 'top_logprobs',
  };
  return renamed[param] ?? param;
};

/**
 * The chat-completions request a Responses request is served as, as data: with the client's
 * headers (its key included) to serve it now, or as a background job keeps it (none of them
 * but `JOB_HEADERS`, and the job's workflow).
 */
const chatRequestParts = (
  request: Request,
  requestId: string,
  body: unknown,
  job?: { workflow: string | undefined },
): BackgroundJob['chat'] => {
  const kept = (name: string) => (job === undefined ? !DROPPED.test(name) : JOB_HEADERS.has(name));
  const headers = new Map<string, string>();
  request.headers.forEach((value, name) => {
    if (kept(name)) headers.set(name, value);
  });
  headers.set('content-type', 'application/json');
  headers.set('x-request-id', requestId);
  if (job?.workflow !== undefined) headers.set('x-workflow', job.workflow);
  return {
    url: new URL('/v1/chat/completions', request.url).toString(),
    headers: [...headers],
    body: JSON.stringify(body),
  };
};

const chatRequestOf = (request: Request, requestId: string, body: unknown): Request => {
  const parts = chatRequestParts(request, requestId, body);
  return new Request(parts.url, {
    method: 'POST',
    headers: parts.headers,
    body: parts.body,
    signal: request.signal,
  });
};

/** A refusal of the chat pipeline, its `param` renamed to the Responses request's field. */
const refusal = async (answer: Response): Promise<Response> => {
  const text = await answer.text();
  let envelope: ErrorEnvelope;
  try {
    envelope = JSON.parse(text) as ErrorEnvelope;
  } catch {
    return new Response(text, { status: answer.status, headers: answer.headers });
  }
  const error = { ...envelope.error, param: responsesParam(envelope.error?.param ?? null) };
  return new Response(JSON.stringify({ error }), {
    status: answer.status,
    headers: answer.headers,
  });
};

/**
 * A new response's id; under an `idempotency-key` the same for every retry of the tenant's
 * request (the chat pipeline replays its answer), so a retry answers, and stores, one response.
 */
const responseIdOf = async (tenantId: string, request: Request): Promise<string> => {
  const key = request.headers.get('idempotency-key');
  if (key === null) return newId('resp');
  return `resp_${(await sha256Hex(`${tenantId}\u0000${key}`)).slice(0, 32)}`;
};

const callerOf = async (
  config: RouterConfig,
  request: Request,
): Promise<{ tenant: TenantConfig; keyId: string }> =>
  tenantOfKey(config, await sha256Hex(bearerKey(request.headers.get('authorization'))));

/**
 * `POST /v1/responses` at either door: authenticate (401 first, as chat does), read and
 * validate the Responses body, serve it as the chat-completions request it translates to
 * through the door's own pipeline (routing, budgets, tool policy, quotas, reason headers and
 * error envelope all chat's), and answer the chat answer as a Response object, or its stream as
 * the typed Responses events.
 */
export const serveResponses = async (request: Request, door: ResponsesDoor): Promise<Response> => {
  const requestId = requestIdFrom(request.headers.get('x-request-id'));
  const { store } = door;
  let parsed: ResponsesRequest;
  let tenant: TenantConfig;
  let keyId: string;
  let history: ChatMessage[] = [];
  try {
    ({ tenant, keyId } = await callerOf(door.config, request));
    parsed = parseResponsesBody(await door.readBody(request), door.config.limits);
    const previous = parsed.previous_response_id;
    if (previous) {
      const kept = await store?.get(tenant.id, previous);
      if (kept === undefined) throw responseNotFound(previous, 'previous_response_id');
      history = kept.history;
    }
    if (parsed.background === true) checkBackground(parsed, door);
  } catch (error) {
    return toErrorResponse(error, { 'x-request-id': requestId });
  }
  if (parsed.background === true && door.background !== undefined && store !== undefined) {
    // Streamed upstream, so the run's events are kept for a GET with stream=true to replay.
    const chatBody = toChatRequest({ ...parsed, stream: true }, history);
    const queued: ResponseObject = {
      ...responseShell(
        parsed,
        await responseIdOf(tenant.id, request),
        Math.floor(Date.now() / 1000),
      ),
      status: 'queued',
      store: true,
    };
    let answered: ResponseObject;
    try {
      answered = await queueBackground({
        config: door.config,
        store,
        queue: door.background,
        job: {
          tenantId: tenant.id,
          keyId,
          request: parsed,
          history,
          queued,
          chat: chatRequestParts(request, requestId, chatBody, {
            workflow: backgroundWorkflow(door.config),
          }),
        },
      });
    } catch (error) {
      return toErrorResponse(error, { 'x-request-id': requestId });
    }
    if (parsed.stream === true) {
      // The run's events as it goes, from the first: what GET …?stream=true answers.
      const query = new URLSearchParams();
      const call = { store, events: door.events, tenantId: tenant.id, id: queued.id, requestId };
      return streamStoredResponse({ ...call, query });
    }
    return new Response(JSON.stringify(answered), {
      status: 200,
      headers: { 'content-type': 'application/json', 'x-request-id': requestId },
    });
  }
  const answer = await door.chat(chatRequestOf(request, requestId, toChatRequest(parsed, history)));
  if (answer.status !== 200) return refusal(answer);
  const storing = store !== undefined && parsed.store !== false;
  const shell: ResponseObject = {
    ...responseShell(parsed, await responseIdOf(tenant.id, request), Math.floor(Date.now() / 1000)),
    store: storing,
  };
  /** Stores the final response (when asked); whether it is stored. */
  const keep = async (response: ResponseObject): Promise<boolean> => {
    if (!storing) return false;
    const { ttlSeconds } = door.config.responses;
    const now = Date.now();
    await store.put(
      keptResponse({ tenantId: tenant.id, request: parsed, response, history, ttlSeconds, now }),
    );
    return true;
  };
  const headers = new Headers(answer.headers);
  headers.delete('content-length');
  if (parsed.stream === true && answer.body !== null) {
    const stream = responseEventStream(shell, answer.body, async (response) => {
      await keep(response);
    });
    return new Response(stream, { status: 200, headers });
  }
  const completion = (await answer.json()) as ChatCompletion;
  const response = fromChatCompletion(shell, completion);
  // An answer whose storing failed says so rather than promising an id nobody can read.
  const stored = await keep(response).catch(() => false);
  headers.set('content-type', 'application/json');
  return new Response(JSON.stringify({ ...response, store: stored }), { status: 200, headers });
};
