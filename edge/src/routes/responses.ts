import {
  answerStoredResponse,
  type RouterConfig,
  type StoredResponseAction,
  serveResponses,
} from '@switchback/router-core';
import type { ExecutionContext, Handler } from 'hono';
import type { AppEnv } from '../env.ts';
import { readWithin } from '../middleware/admission.ts';
import { edgeEventLog, edgeResponseStore } from '../objects/stored-response-object.ts';
import { edgeBackground } from '../workflows/edge-background.ts';
import { redrivingStore } from '../workflows/redrive.ts';
import { settlingStore } from '../workflows/settle-on-read.ts';

export type ResponsesOptions = {
  config: RouterConfig;
  /** The Worker's own chat pipeline (`app.fetch`), every middleware of `/v1/chat/completions`. */
  chat: (
    request: Request,
    env: Env,
    ctx: ExecutionContext | undefined,
  ) => Response | Promise<Response>;
};

/** The request's execution context, when it has one (`app.request` in tests has none). */
const executionOf = (c: Parameters<Handler<AppEnv>>[0]): ExecutionContext | undefined => {
  try {
    return c.executionCtx;
  } catch {
    return undefined;
  }
};

/**
 * `POST /v1/responses`: router-core's `serveResponses` over the Worker's chat pipeline, so a
 * Responses request is admitted, policed, routed and served exactly as its chat request is;
 * responses are stored in `StoredResponseObject`s (`RESPONSES`).
 */
export const responses = ({ config, chat }: ResponsesOptions): Handler<AppEnv> =>
  async function responses(c) {
    const ctx = executionOf(c);
    return serveResponses(c.req.raw, {
      config,
      readBody: (request) => readWithin(request, config.limits.maxBodyBytes),
      chat: (request) => chat(request, c.env, ctx),
      store: edgeResponseStore(c.env.RESPONSES),
      background: edgeBackground(c.env),
      events: edgeEventLog(c.env.RESPONSES),
    });
  };

/**
 * `GET` / `DELETE /v1/responses/{id}`, `GET …/input_items` and `POST …/cancel`, after auth: the
 * tenant's stored response, or 404 (another tenant's id is not found either). A background
 * response streams its events (`?stream=true`) and is cancelled through its Workflow instance.
 */
export const storedResponse = (action: StoredResponseAction): Handler<AppEnv> =>
  async function storedResponse(c) {
    return answerStoredResponse(action, {
      store: redrivingStore(settlingStore(edgeResponseStore(c.env.RESPONSES), c.env), c.env),
      runs: edgeBackground(c.env),
      events: edgeEventLog(c.env.RESPONSES),
      tenantId: c.var.tenant.id,
      id: c.req.param('id') ?? '',
      requestId: c.var.requestId,
      query: new URL(c.req.url).searchParams,
    });
  };
