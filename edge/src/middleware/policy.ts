import {
  APPROVAL_HEADER,
  auditIntent,
  checkToolPolicy,
  governRequestTools,
  promptRedactor,
  type RouterConfig,
  RouterError,
  traced,
} from '@switchback/router-core';
import type { MiddlewareHandler } from 'hono';
import { type AuditEnv, auditSecretFromEnv } from '../audit/audit-sink-from-env.ts';
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

/** Signs and checks approvals of held tool calls: the same secret as regional's when set. */
const approvalSecretOf = (env: AuditEnv & { SWITCHBACK_APPROVAL_SECRET?: string }): string =>
  env.SWITCHBACK_APPROVAL_SECRET || auditSecretFromEnv(env);

/**
 * The policy checks that need no state: internal headers dropped, the model the tenant may use,
 * the tool allowlist of tenant and workflow (403 `policy_denied` naming the tool), the tenant's
 * side-effect stage and held calls' approvals (router-core's `governRequestTools`), and the PII
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
    const { body, policyTrace: trace } = c.var;
    c.set('intent', await auditIntent(body));

    traced(trace, 'model_allowlist', () => {
      if (tenant.allowedModels.includes('*') || tenant.allowedModels.includes(body.model)) return;
      throw known.has(body.model)
        ? new RouterError(
            'policy_denied',
            `Model '${body.model}' is not available to this API key; allowed: ${tenant.allowedModels.join(', ')}.`,
            { param: 'model' },
          )
        : new RouterError('unknown_model', `The model '${body.model}' does not exist.`, {
            param: 'model',
          });
    });
    traced(trace, 'tool_allowlist', () => checkToolPolicy(body, tenant, workflow));
    // Read before the internal headers were dropped: the client sends the approval in it.
    const governed = await governRequestTools(body, c.req.raw.headers.get(APPROVAL_HEADER), {
      tenant,
      sideEffectTools: config.risk.sideEffectTools,
      secret: approvalSecretOf(c.env),
      now: Date.now(),
    });
    trace.push(...governed.trace);
    if (governed.results !== undefined) c.set('toolResults', governed.results);
    if (governed.refusal !== undefined) throw governed.refusal;

    if (redact === undefined) {
      trace.push({ check: 'pii_redaction', result: 'skip', detail: 'off' });
      c.set('upstream', body);
    } else {
      const redacted = redact(body);
      trace.push(
        redacted.kinds.length === 0
          ? { check: 'pii_redaction', result: 'pass' }
          : { check: 'pii_redaction', result: 'redact', detail: redacted.kinds.join(',') },
      );
      c.set('upstream', redacted.request);
    }
    await next();
  };
};
