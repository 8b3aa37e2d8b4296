import { modelList, type RouterConfig } from '@switchback/router-core';
import type { Caller } from '../../auth/caller.ts';
import type { frontDoorIdempotency } from '../../idempotency/front-door-idempotency.ts';
import { errorReply } from '../error-handler.ts';
import type { LogSink } from '../finish-request.ts';
import type { authenticateCaller } from '../middleware/authenticate.ts';
import { closeRecord, openRecord } from '../middleware/record-request.ts';
import type { RequestRecord } from '../request-record.ts';
import type { chatCompletions } from '../routes/chat-completions.ts';
import { type Exchange, type Reply, replyStatus, setReplyHeader } from './exchange.ts';

/**
 * The routes the front door serves itself; Hono serves every other. The health check is here
 * too: probes call it every few seconds, and Hono's Node adapter reads the web globals at import
 * (`Headers`, `Request`, `Response`), which loads Node's bundled undici, that these routes never
 * need (the adapter is imported on the first other request, see `lazy-hono-listener.ts`).
 */
export const FRONT_DOOR_ROUTES = {
  'POST /v1/chat/completions': 'chat',
  'GET /v1/models': 'models',
  'GET /healthz': 'health',
} as const;

export type FrontDoorRoute = (typeof FRONT_DOOR_ROUTES)[keyof typeof FRONT_DOOR_ROUTES];

/** Which front-door route a method and path are, if any. */
export const frontDoorRoute = (method: string, path: string): FrontDoorRoute | undefined =>
  FRONT_DOOR_ROUTES[`${method} ${path}` as keyof typeof FRONT_DOOR_ROUTES];

export type FrontDoor = (ex: Exchange, route: FrontDoorRoute) => Promise<Reply>;

/** A 200 with a JSON body, as Hono's `c.json` writes it. */
export const jsonReply = (value: unknown): Reply => ({
  kind: 'body',
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(value),
});

/**
 * Regional's hot routes as one pipeline over an exchange, each stage one call: the record (and
 * request id), the caller (API key or signed escalation), then for chat idempotency and the chat
 * route itself (quota, sessions, compaction, governance inside), for models the tenant's list;
 * a thrown error becomes OpenAI's envelope; `onFinish` (metrics, log, audit) once the request is
 * over. Node's server and `app.fetch` both run it.
 */
export const createFrontDoor = (deps: {
  config: RouterConfig;
  authenticate: ReturnType<typeof authenticateCaller>;
  idempotency: ReturnType<typeof frontDoorIdempotency>;
  chat: ReturnType<typeof chatCompletions>;
  onFinish: (record: RequestRecord) => void;
  log: LogSink | undefined;
  /** The health check's body (no caller: a probe carries no key). */
  health: () => unknown;
}): FrontDoor => {
  const serve = (ex: Exchange, route: FrontDoorRoute, caller: Caller, record: RequestRecord) =>
    route === 'chat'
      ? deps.idempotency(ex, caller, record, () => deps.chat(ex, caller, record))
      : Promise.resolve(jsonReply(modelList(deps.config, caller.tenant)));
  return async function frontDoor(ex, route) {
    const record = openRecord(ex.method, ex.path, ex.headers);
    let reply: Reply;
    try {
      reply =
        route === 'health'
          ? jsonReply(deps.health())
          : await serve(ex, route, await deps.authenticate(ex, record), record);
    } catch (thrown) {
      reply = errorReply(thrown, record, ex.signal.aborted, deps.log);
    }
    setReplyHeader(reply, 'x-request-id', record.requestId);
    closeRecord(record, replyStatus(reply), deps.onFinish);
    return reply;
  };
};
