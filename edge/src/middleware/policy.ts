import {
  type ChatCompletionRequest,
  checkToolPolicy,
  type RouterConfig,
  RouterError,
  type TenantConfig,
} from '@switchback/router-core';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.ts';

/** Rewrites a request before any provider sees it (PII redaction); returns it unchanged when clean. */
export type Redactor = (
  request: ChatCompletionRequest,
  context: { tenant: TenantConfig; workflow: string | undefined },
) => ChatCompletionRequest;

export type PolicyOptions = { config: RouterConfig; redact?: Redactor };

/** Header prefixes only the router itself may set: a client sending them is ignored. */
const INTERNAL_PREFIXES = ['x-router-', 'x-switchback-'] as const;

const withoutInternalHeaders = (headers: Headers): Headers => {
  const out = new Headers();
  for (const [name, value] of headers) {
    if (!INTERNAL_PREFIXES.some((prefix) => name.startsWith(prefix))) out.set(name, value);
  }
  return out;
};

/**
 * The policy checks that need no state: internal headers dropped, the model the tenant may use,
 * the tool allowlist of tenant and workflow (403 `policy_denied` naming the tool), redaction.
 */
export const policy = ({ config, redact }: PolicyOptions): MiddlewareHandler<AppEnv> => {
  const known = new Set<string>([
    'auto',
    ...Object.keys(config.aliases),
    ...config.models.map((m) => m.id),
    ...config.models.map((m) => m.name),
  ]);
  return async function policy(c, next) {
    const { tenant, workflow } = c.var;
    c.set('headers', withoutInternalHeaders(c.req.raw.headers));
    let body = c.var.body;

    if (!tenant.allowedModels.includes('*') && !tenant.allowedModels.includes(body.model)) {
      throw known.has(body.model)
        ? new RouterError(
            'policy_denied',
            `Model '${body.model}' is not available to this API key; allowed: ${tenant.allowedModels.join(', ')}.`,
            { param: 'model' },
          )
        : new RouterError('unknown_model', `The model '${body.model}' does not exist.`, {
            param: 'model',
          });
    }

    checkToolPolicy(body, tenant, workflow);

    if (redact !== undefined) {
      body = redact(body, { tenant, workflow });
      c.set('body', body);
    }
    await next();
  };
};
