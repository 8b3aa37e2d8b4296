import {
  checkToolPolicy,
  promptRedactor,
  type RouterConfig,
  RouterError,
} from '@switchback/router-core';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.ts';

export type PolicyOptions = { config: RouterConfig };

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
 * the tool allowlist of tenant and workflow (403 `policy_denied` naming the tool), and the PII
 * redaction of what providers are sent (`upstream`; router-core's redactor, the config's `pii`
 * rules, the same as at regional's front door). `body` stays the client's request: classification
 * reads it, so PII still raises the risk tier.
 */
export const policy = ({ config }: PolicyOptions): MiddlewareHandler<AppEnv> => {
  const redact = promptRedactor(config.pii);
  const known = new Set<string>([
    'auto',
    ...Object.keys(config.aliases),
    ...config.models.map((m) => m.id),
    ...config.models.map((m) => m.name),
  ]);
  return async function policy(c, next) {
    const { tenant, workflow } = c.var;
    c.set('headers', withoutInternalHeaders(c.req.raw.headers));
    const { body } = c.var;

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

    c.set('upstream', redact === undefined ? body : redact(body).request);
    await next();
  };
};
