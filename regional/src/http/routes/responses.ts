import {
  answerStoredResponse,
  type BackgroundQueue,
  budgetFor,
  type ResponseEventLog,
  type ResponseStore,
  type RouterConfig,
  RouterError,
  type StoredResponseAction,
  serveResponses,
} from '@switchback/router-core';
import type { Handler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { readBodyText } from '../read-body.ts';

export type ResponsesDeps = {
  config: RouterConfig;
  /** The service's own chat pipeline: whatever serves `POST /v1/chat/completions`. */
  chat: (request: Request) => Response | Promise<Response>;
  /** Stored responses per tenant: the state store's. */
  store: ResponseStore;
  /** Where `background: true` runs are queued (this process, or the replicas' shared queue). */
  background: BackgroundQueue;
  /** Background runs' events (`background` with `stream: true`, `GET …?stream=true`). */
  events?: ResponseEventLog | undefined;
};

const unavailable = (cause: unknown): never => {
  throw new RouterError(
    'upstream_unavailable',
    "The router's shared state (responses) is unavailable; retry shortly.",
    { retryAfterSeconds: 1, cause },
  );
};

/**
 * The state store's responses with its failures as 503 `upstream_unavailable` + `retry-after`
 * (Redis down or slow): a stored response can be neither promised nor denied while it is.
 */
export const guardResponses = (store: ResponseStore): ResponseStore => ({
  get: (tenantId, id) => store.get(tenantId, id).catch(unavailable),
  put: (kept) => store.put(kept).catch(unavailable),
  delete: (tenantId, id) => store.delete(tenantId, id).catch(unavailable),
});

/** The background responses' event log with its failures as 503 `upstream_unavailable`, as above. */
export const guardEvents = (events: ResponseEventLog): ResponseEventLog => ({
  append: (tenantId, id, batch, ttlMs) =>
    events.append(tenantId, id, batch, ttlMs).catch(unavailable),
  after: (tenantId, id, after) => events.after(tenantId, id, after).catch(unavailable),
});

/**
 * `POST /v1/responses`: router-core's `serveResponses` over the chat pipeline, so a Responses
 * request is authenticated, policed, routed and served exactly as its chat request is. The body
 * must arrive within the default workflow's end-to-end budget, as an escalation's must.
 */
export const responses = ({
  config,
  chat,
  store,
  background,
  events,
}: ResponsesDeps): Handler<AppEnv> =>
  async function responses(c) {
    return serveResponses(c.req.raw, {
      config,
      readBody: (request) =>
        readBodyText(request, config.limits.maxBodyBytes, budgetFor(config, undefined).totalMs),
      chat,
      store,
      background,
      ...(events === undefined ? {} : { events }),
    });
  };

/**
 * `GET` / `DELETE /v1/responses/{id}`, `GET …/input_items` and `POST …/cancel`, once authenticated: the caller's
 * tenant's stored response, or 404 (another tenant's id is not found either).
 */
export const storedResponse = (
  action: StoredResponseAction,
  store: ResponseStore,
  runs?: BackgroundQueue,
  events?: ResponseEventLog,
): Handler<AppEnv> =>
  async function storedResponse(c) {
    return answerStoredResponse(action, {
      store,
      tenantId: c.var.caller.tenant.id,
      id: c.req.param('id') ?? '',
      requestId: c.var.record.requestId,
      query: new URL(c.req.url).searchParams,
      runs,
      events,
    });
  };
