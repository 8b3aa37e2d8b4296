import {
  auditResponse,
  type ChatCompletion,
  governAnswerTools,
  type RouterConfig,
} from '@switchback/router-core';
import type { MiddlewareHandler } from 'hono';
import { type AuditEnv, auditSecretFromEnv } from '../audit/audit-sink-from-env.ts';
import type { AppEnv } from '../env.ts';

export type AnswerToolsOptions = { config: RouterConfig };

/**
 * A non-streamed answer's tool calls as policy decides them (router-core's `governAnswerTools`):
 * into the audit event with the answer's shape, and a held side-effect call answered with
 * `x-switchback-approval: required` and its approval token. Streams and refusals pass untouched.
 */
export const answerTools = ({ config }: AnswerToolsOptions): MiddlewareHandler<AppEnv> =>
  async function answerTools(c, next) {
    await next();
    const json = c.res.headers.get('content-type')?.startsWith('application/json') ?? false;
    if (c.res.status !== 200 || !json) return;
    const completion = (await c.res.clone().json()) as ChatCompletion;
    c.set('response', auditResponse(completion));
    const env = c.env as AuditEnv & { SWITCHBACK_APPROVAL_SECRET?: string };
    const { toolCalls, headers } = await governAnswerTools(completion, {
      tenant: c.var.tenant,
      sideEffectTools: config.risk.sideEffectTools,
      secret: env.SWITCHBACK_APPROVAL_SECRET || auditSecretFromEnv(env),
      now: Date.now(),
      workflow: c.var.workflow,
      requestId: c.var.requestId,
    });
    if (toolCalls !== undefined) c.set('toolCalls', toolCalls);
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  };
