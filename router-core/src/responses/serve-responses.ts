import { bearerKey, tenantOfKey } from '../auth/api-key.ts';
import type { RouterConfig, TenantConfig } from '../config/schema.ts';
import { sha256Hex } from '../crypto/sha256.ts';
import { type ErrorEnvelope, RouterError, toErrorResponse } from '../errors/router-error.ts';
import type { ChatCompletion } from '../openai/chat-response.ts';
import { requestIdFrom } from '../serve/request-id.ts';
import { fromChatCompletion } from './from-chat-completion.ts';
import { parseResponsesBody } from './parse-responses-body.ts';
import { responseEventStream } from './response-event-stream.ts';
import { newId, type ResponseObject, responseShell } from './response-object.ts';
import type { ResponsesRequest } from './responses-request.ts';
import { toChatRequest } from './to-chat-request.ts';

/** What a door gives `serveResponses`: its config, its body reader and its chat pipeline. */
export type ResponsesDoor = {
  config: RouterConfig;
  /** The body as text under the door's limits (size, UTF-8, and its read deadline if any). */
  readBody: (request: Request) => Promise<string>;
  /** `POST /v1/chat/completions` through the door's whole pipeline (auth to answer). */
  chat: (request: Request) => Response | Promise<Response>;
};

// Headers the chat request is not given: its body is new, and internal headers are the doors'.
const DROPPED = /^(content-length|content-type|transfer-encoding|x-switchback-.*)$/;

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

const chatRequestOf = (request: Request, requestId: string, body: unknown): Request => {
  const headers = new Headers();
  request.headers.forEach((value, name) => {
    if (!DROPPED.test(name)) headers.set(name, value);
  });
  headers.set('content-type', 'application/json');
  headers.set('x-request-id', requestId);
  return new Request(new URL('/v1/chat/completions', request.url), {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
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

// Nothing is stored yet at either door (`store: false` on every answer), so no id is found.
const previousNotFound = (id: string): RouterError =>
  new RouterError('not_found', `Previous response with id '${id}' not found.`, {
    param: 'previous_response_id',
  });

const tenantOf = async (config: RouterConfig, request: Request): Promise<TenantConfig> =>
  tenantOfKey(config, await sha256Hex(bearerKey(request.headers.get('authorization')))).tenant;

/**
 * `POST /v1/responses` at either door: authenticate (401 first, as chat does), read and
 * validate the Responses body, serve it as the chat-completions request it translates to
 * through the door's own pipeline (routing, budgets, tool policy, quotas, reason headers and
 * error envelope all chat's), and answer the chat answer as a Response object, or its stream as
 * the typed Responses events.
 */
export const serveResponses = async (request: Request, door: ResponsesDoor): Promise<Response> => {
  const requestId = requestIdFrom(request.headers.get('x-request-id'));
  let parsed: ResponsesRequest;
  try {
    await tenantOf(door.config, request);
    parsed = parseResponsesBody(await door.readBody(request), door.config.limits);
    if (parsed.previous_response_id) throw previousNotFound(parsed.previous_response_id);
  } catch (error) {
    return toErrorResponse(error, { 'x-request-id': requestId });
  }
  const answer = await door.chat(chatRequestOf(request, requestId, toChatRequest(parsed)));
  if (answer.status !== 200) return refusal(answer);
  const shell: ResponseObject = {
    ...responseShell(parsed, newId('resp'), Math.floor(Date.now() / 1000)),
    store: false,
  };
  const headers = new Headers(answer.headers);
  headers.delete('content-length');
  if (parsed.stream === true && answer.body !== null) {
    return new Response(responseEventStream(shell, answer.body), { status: 200, headers });
  }
  const completion = (await answer.json()) as ChatCompletion;
  headers.set('content-type', 'application/json');
  return new Response(JSON.stringify(fromChatCompletion(shell, completion)), {
    status: 200,
    headers,
  });
};
