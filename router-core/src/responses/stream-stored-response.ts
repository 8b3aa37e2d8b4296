import { RouterError, toErrorResponse } from '../errors/router-error.ts';
import type { ResponseEventLog } from './response-event-log.ts';
import { encodeResponseEvents } from './response-event-stream.ts';
import { responseNotFound } from './response-not-found.ts';
import type { ResponseStore } from './response-store.ts';

const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed']);

export type StreamStoredCall = {
  store: ResponseStore;
  events: ResponseEventLog | undefined;
  tenantId: string;
  id: string;
  requestId: string;
  query: URLSearchParams;
  /** How often a run still going is looked at for new events. */
  pollMs?: number;
};

/** `starting_after`: a sequence number (absent: from the first event). */
const startingAfter = (query: URLSearchParams): number => {
  const raw = query.get('starting_after');
  if (raw === null) return -1;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RouterError(
      'invalid_request',
      'starting_after must be a sequence number (an integer of 0 or more).',
      {
        param: 'starting_after',
      },
    );
  }
  return n;
};

/**
 * `GET /v1/responses/{id}?stream=true[&starting_after=n]`: a background response's stream events
 * after `n`, those kept so far and then the rest as its run goes on, ending with its final
 * event (or when it ended without one: cancelled). Only background responses keep their events.
 */
export const streamStoredResponse = async (call: StreamStoredCall): Promise<Response> => {
  const headers = { 'x-request-id': call.requestId };
  const { events, store, tenantId, id } = call;
  let after: number;
  try {
    after = startingAfter(call.query);
  } catch (error) {
    return toErrorResponse(error, headers);
  }
  const kept = await store.get(tenantId, id);
  if (kept === undefined) return toErrorResponse(responseNotFound(id), headers);
  if (!kept.response.background || events === undefined) {
    const refused = new RouterError(
      'invalid_request',
      'Only a background response can be streamed again; GET it without stream instead.',
      { param: 'stream' },
    );
    return toErrorResponse(refused, headers);
  }
  const pollMs = call.pollMs ?? 100;
  let stopped = false;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        while (!stopped) {
          const fresh = await events.after(tenantId, id, after);
          if (fresh.length > 0) {
            after = fresh.at(-1)?.sequence_number ?? after;
            controller.enqueue(encodeResponseEvents(fresh));
            if (fresh.some((event) => TERMINAL.has(event.type))) controller.close();
            return;
          }
          const now = await store.get(tenantId, id);
          const status = now?.response.status;
          if (status !== 'queued' && status !== 'in_progress') {
            // Ended without a final event (cancelled, or gone): nothing more will come.
            if ((await events.after(tenantId, id, after)).length === 0) {
              controller.close();
              return;
            }
            continue;
          }
          await new Promise((resolve) => setTimeout(resolve, pollMs));
        }
      },
      cancel() {
        stopped = true;
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(body, {
    status: 200,
    headers: { ...headers, 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
  });
};
