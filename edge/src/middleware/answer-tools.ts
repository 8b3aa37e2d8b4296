import {
  auditResponse,
  type ChatCompletion,
  type GovernedAnswer,
  governAnswerTools,
  type RouterConfig,
} from '@switchback/router-core';
import type { Context, MiddlewareHandler } from 'hono';
import { type AuditEnv, auditSecretFromEnv } from '../audit/audit-sink-from-env.ts';
import type { AppEnv } from '../env.ts';

export type AnswerToolsOptions = { config: RouterConfig };

/**
 * An answer's tool calls as policy decides them and its shape, into `c.var` for the audit event;
 * the response headers of a held call (`x-switchback-approval`, its token) and its tokens.
 */
export const governEdgeAnswer = async (
  c: Context<AppEnv>,
  config: RouterConfig,
  completion: ChatCompletion,
): Promise<GovernedAnswer> => {
  c.set('response', auditResponse(completion));
  const env = c.env as AuditEnv & { SWITCHBACK_APPROVAL_SECRET?: string };
  const governed = await governAnswerTools(completion, {
    tenant: c.var.tenant,
    sideEffectTools: config.risk.sideEffectTools,
    secret: env.SWITCHBACK_APPROVAL_SECRET || auditSecretFromEnv(env),
    now: Date.now(),
    workflow: c.var.workflow,
    requestId: c.var.requestId,
  });
  if (governed.toolCalls !== undefined) c.set('toolCalls', governed.toolCalls);
  return governed;
};

/**
 * The answer's tool calls as policy decides them (router-core's `governAnswerTools`), into the
 * audit event with the answer's shape. A non-streamed answer with a held side-effect call gets
 * `x-switchback-approval: required` and its approval token; a stream's calls are told at its end
 * (`c.var.governStream`), audited, and a held one's token comes as the stream's last event
 * before `[DONE]` (its headers went out already; see router-core's `streamApprovalChunk`).
 */
export const answerTools = ({ config }: AnswerToolsOptions): MiddlewareHandler<AppEnv> =>
  async function answerTools(c, next) {
    c.set('governStream', (completion) => governEdgeAnswer(c, config, completion));
    await next();
    const json = c.res.headers.get('content-type')?.startsWith('application/json') ?? false;
    if (c.res.status !== 200 || !json) return;
    const completion = (await c.res.clone().json()) as ChatCompletion;
    const { headers } = await governEdgeAnswer(c, config, completion);
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  };
