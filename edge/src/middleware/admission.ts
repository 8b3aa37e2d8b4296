import {
  createBodyReader,
  knownWorkflow,
  parseChatBody,
  type RouterConfig,
  RouterError,
} from '@switchback/router-core';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.ts';

export type AdmissionOptions = { config: RouterConfig };

const WORKFLOW = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** The body as text through router-core's reader (size limit, strict UTF-8). */
export const readWithin = async (request: Request, max: number): Promise<string> => {
  const body = createBodyReader(max, request.headers.get('content-length'));
  if (request.body === null) return body.end();
  const reader = request.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return body.end();
      body.push(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => {});
    throw error;
  }
};

/**
 * Admits a chat request: body size (413), JSON (400 with the parser's reason), message count and
 * the OpenAI schema (400 naming the field as `param`), and a well-formed `x-workflow`. From here
 * on `c.var.workflow` is a workflow the config names, or none: an unconfigured value counts as
 * the `default` class (or is refused, `limits.unknownWorkflow: reject`), so no value a client
 * invents becomes a quota allowance, a budget or an escalation label of its own.
 */
export const admission = ({ config }: AdmissionOptions): MiddlewareHandler<AppEnv> =>
  async function admission(c, next) {
    const { workflow } = c.var;
    if (workflow !== undefined && !WORKFLOW.test(workflow)) {
      throw new RouterError(
        'invalid_request',
        'x-workflow must be 1-64 lowercase letters, digits, ".", "_" or "-".',
      );
    }
    c.set('workflow', knownWorkflow(config, workflow));
    const raw = await readWithin(c.req.raw, config.limits.maxBodyBytes);
    const body = parseChatBody(raw, config.limits);
    c.set('rawBody', raw);
    c.set('body', body);
    await next();
  };
