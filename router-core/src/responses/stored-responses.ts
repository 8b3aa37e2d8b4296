import { RouterError, toErrorResponse } from '../errors/router-error.ts';
import type { ChatMessage } from '../openai/chat-request.ts';
import type { BackgroundQueue } from './background-queue.ts';
import { listedInputItems, listPage, outputAsInput } from './input-items.ts';
import type { ResponseEventLog } from './response-event-log.ts';
import { responseNotFound } from './response-not-found.ts';
import type { ResponseObject } from './response-object.ts';
import type { KeptResponse, ResponseStore } from './response-store.ts';
import type { ResponsesRequest } from './responses-request.ts';
import { streamStoredResponse } from './stream-stored-response.ts';
import { chatMessagesOf } from './to-chat-request.ts';

/** What is stored of an answered request: the response, its input items, the conversation. */
export const keptResponse = (input: {
  tenantId: string;
  request: ResponsesRequest;
  response: ResponseObject;
  /** The conversation before this request (its `previous_response_id`'s). */
  history: readonly ChatMessage[];
  ttlSeconds: number;
  now: number;
}): KeptResponse => {
  const { request, response } = input;
  const output = outputAsInput(response.output);
  return {
    tenantId: input.tenantId,
    response,
    inputItems: listedInputItems(request.input),
    history: [
      ...input.history,
      ...chatMessagesOf(request.input),
      ...(output.length > 0 ? chatMessagesOf(output) : []),
    ],
    expiresAt: input.now + input.ttlSeconds * 1000,
  };
};

const json = (value: unknown, requestId: string): Response =>
  new Response(JSON.stringify(value), {
    status: 200,
    headers: { 'content-type': 'application/json', 'x-request-id': requestId },
  });

/** The stored-response routes, the same at both doors once the tenant is known. */
export type StoredResponseCall = {
  store: ResponseStore;
  tenantId: string;
  id: string;
  requestId: string;
};

/** `GET /v1/responses/{id}`: the stored response, or 404. */
export const getStoredResponse = async (call: StoredResponseCall): Promise<Response> => {
  const kept = await call.store.get(call.tenantId, call.id);
  if (kept === undefined) {
    return toErrorResponse(responseNotFound(call.id), { 'x-request-id': call.requestId });
  }
  return json(kept.response, call.requestId);
};

/** `DELETE /v1/responses/{id}`: OpenAI's deletion object, or 404. */
export const deleteStoredResponse = async (call: StoredResponseCall): Promise<Response> => {
  if (!(await call.store.delete(call.tenantId, call.id))) {
    return toErrorResponse(responseNotFound(call.id), { 'x-request-id': call.requestId });
  }
  return json({ id: call.id, object: 'response', deleted: true }, call.requestId);
};

/** `GET /v1/responses/{id}/input_items`: a page of the request's items (`limit`, `order`, `after`). */
export const listStoredInputItems = async (
  call: StoredResponseCall & { query: URLSearchParams },
): Promise<Response> => {
  const kept = await call.store.get(call.tenantId, call.id);
  if (kept === undefined) {
    return toErrorResponse(responseNotFound(call.id), { 'x-request-id': call.requestId });
  }
  return json(listPage(kept.inputItems, call.query), call.requestId);
};

/**
 * `POST /v1/responses/{id}/cancel`: a background response still queued or in progress is
 * cancelled (its run, if it is running here, aborted with its upstream call) and answered
 * `cancelled`; one that has ended is answered as it is; one that is not a background response
 * is a 400.
 */
export const cancelStoredResponse = async (
  call: StoredResponseCall & { runs: BackgroundQueue | undefined },
): Promise<Response> => {
  const headers = { 'x-request-id': call.requestId };
  const kept = await call.store.get(call.tenantId, call.id);
  if (kept === undefined) return toErrorResponse(responseNotFound(call.id), headers);
  if (!kept.response.background) {
    const refused = new RouterError(
      'invalid_request',
      'Only responses created with background: true can be cancelled.',
    );
    return toErrorResponse(refused, headers);
  }
  if (kept.response.status !== 'queued' && kept.response.status !== 'in_progress') {
    return json(kept.response, call.requestId);
  }
  const response = { ...kept.response, status: 'cancelled' as const };
  // Stored first: a run that ends meanwhile on another replica sees the cancel and keeps it.
  await call.store.put({ ...kept, response });
  await call.runs?.cancel(call.tenantId, call.id);
  return json(response, call.requestId);
};

/** The stored-response routes by name, as both doors register them. */
export type StoredResponseAction = 'get' | 'delete' | 'input_items' | 'cancel';

/** The answer to one stored-response route for the caller's tenant. */
export const answerStoredResponse = (
  action: StoredResponseAction,
  call: StoredResponseCall & {
    query: URLSearchParams;
    runs?: BackgroundQueue | undefined;
    /** Background responses' events (`GET …?stream=true`); none refuses such a GET. */
    events?: ResponseEventLog | undefined;
  },
): Promise<Response> => {
  switch (action) {
    case 'cancel':
      return cancelStoredResponse({ ...call, runs: call.runs });
    case 'get':
      return call.query.get('stream') === 'true'
        ? streamStoredResponse({ ...call, events: call.events })
        : getStoredResponse(call);
    case 'delete':
      return deleteStoredResponse(call);
    case 'input_items':
      return listStoredInputItems(call);
  }
};
