import {
  auditResponse,
  type ChatCompletion,
  governAnswerTools,
  type RouterConfig,
} from '@switchback/router-core';
import type { Context, MiddlewareHandler } from 'hono';
import { type AuditEnv, auditSecretFromEnv } from '../audit/audit-sink-from-env.ts';
import type { AppEnv } from '../env.ts';

export type AnswerToolsOptions = { config: RouterConfig };

/**
 * An answer's tool calls as policy decides them and its shape, into `c.var` for the audit event;
 * the response headers of a held call (`x-switchback-approval`, its token).
 */
export const governEdgeAnswer = async (
  c: Context<AppEnv>,
  config: RouterConfig,
  completion: ChatCompletion,
): Promise<Record<string, string>> => {
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
  return headers;
};

/**
 * The answer's tool calls as policy decides them (router-core's `governAnswerTools`), into the
 * audit event with the answer's shape. A non-streamed answer with a held side-effect call gets
 * `x-switchback-approval: required` and its approval token; a stream's calls are told at its end
 * (`c.var.governStream`), audited, held ones without a token (its headers went out already).
 */
export const answerTools = ({ config }: AnswerToolsOptions): MiddlewareHandler<AppEnv> =>
  async function answerTools(c, next) {
    c.set('governStream', (completion) => governEdgeAnswer(c, config, completion));
    await next();
    const json = c.res.headers.get('content-type')?.startsWith('application/json') ?? false;
    if (c.res.status !== 200 || !json) return;
    const completion = (await c.res.clone().json()) as ChatCompletion;
    const headers = await governEdgeAnswer(c, config, completion);
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  };
