import { budgetFor, type RouterConfig, serveResponses } from '@switchback/router-core';
import type { Handler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { readBodyText } from '../read-body.ts';

export type ResponsesDeps = {
  config: RouterConfig;
  /** The service's own chat pipeline: whatever serves `POST /v1/chat/completions`. */
  chat: (request: Request) => Response | Promise<Response>;
};

/**
 * `POST /v1/responses`: router-core's `serveResponses` over the chat pipeline, so a Responses
 * request is authenticated, policed, routed and served exactly as its chat request is. The body
 * must arrive within the default workflow's end-to-end budget, as an escalation's must.
 */
export const responses = ({ config, chat }: ResponsesDeps): Handler<AppEnv> =>
  async function responses(c) {
    return serveResponses(c.req.raw, {
      config,
      readBody: (request) =>
        readBodyText(request, config.limits.maxBodyBytes, budgetFor(config, undefined).totalMs),
      chat,
    });
  };
