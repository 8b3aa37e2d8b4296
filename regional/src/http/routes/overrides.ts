import {
  type AuditLog,
  type OverrideAuditEvent,
  type QuotaStore,
  type RouterConfig,
  RouterError,
  windowStartOf,
} from '@switchback/router-core';
import type { Handler } from 'hono';
import type { Breakers } from '../../resilience/breaker-registry.ts';
import type { AppEnv } from '../app-env.ts';
import { operatorOf } from '../operator-credential.ts';

export type OverridesDeps = {
  config: RouterConfig;
  breakers: Pick<Breakers, 'snapshot' | 'close'>;
  quotas: QuotaStore;
  audit?: AuditLog | undefined;
};

type Body = {
  action?: unknown;
  target?: unknown;
  tenant?: unknown;
  requests?: unknown;
  tokens?: unknown;
  reason?: unknown;
};

const count = (value: unknown, name: string): number => {
  if (value === undefined) return 0;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  throw new RouterError('invalid_request', `'${name}' must be a whole number of at least 0.`, {
    param: name,
  });
};

/**
 * `POST /ops/overrides` with an operator credential: `{action: "reset_breaker", target:
 * "<provider>/<model>"}` closes that model's breakers (every backend); `{action: "lift_quota",
 * tenant, target: "<request class>", requests, tokens}` gives that much back to the class's
 * current window. Each is an `override` audit event with the operator's id, written before the
 * answer. (Forcing a tier or a model is not offered yet.)
 */
export const overrides = (deps: OverridesDeps): Handler<AppEnv> =>
  async function overrides(c) {
    const operator = operatorOf(deps.config, c.req.header('authorization'));
    const body = (await c.req.json().catch(() => ({}))) as Body;
    const target = typeof body.target === 'string' ? body.target : '';
    const reason = typeof body.reason === 'string' ? { reason: body.reason } : {};
    let event: OverrideAuditEvent;
    if (body.action === 'reset_breaker') {
      const keys = deps.breakers.snapshot().filter((b) => `${b.provider}/${b.model}` === target);
      if (keys.length === 0) {
        throw new RouterError('invalid_request', `No breaker of '${target}' (provider/model).`, {
          param: 'target',
        });
      }
      for (const key of keys) deps.breakers.close(key);
      event = {
        type: 'override',
        ts: new Date().toISOString(),
        operator,
        action: 'reset_breaker',
        target,
        ...reason,
      };
    } else if (body.action === 'lift_quota') {
      const tenant = deps.config.tenants.find((t) => t.id === body.tenant);
      if (tenant === undefined) {
        throw new RouterError('invalid_request', 'Name a configured tenant.', { param: 'tenant' });
      }
      const requests = count(body.requests, 'requests');
      const tokens = count(body.tokens, 'tokens');
      await deps.quotas.adjust(tenant.id, {
        buckets: [target],
        requests: -requests,
        tokens: -tokens,
        windowStart: windowStartOf(Date.now()),
      });
      event = {
        type: 'override',
        ts: new Date().toISOString(),
        operator,
        action: 'lift_quota',
        target,
        tenant: tenant.id,
        reason: `gave back ${requests} requests and ${tokens} tokens${'reason' in reason ? `: ${reason.reason}` : ''}`,
      };
    } else {
      throw new RouterError('invalid_request', "'action' must be reset_breaker or lift_quota.", {
        param: 'action',
      });
    }
    await deps.audit?.append(event);
    return c.json(event);
  };
