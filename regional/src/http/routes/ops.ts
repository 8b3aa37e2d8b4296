import {
  type AuditLog,
  approveOps,
  type OpsDeps,
  type OpsRequest,
  overrideOps,
  type QuotaStore,
  type RouteOverrideStore,
  type RouterConfig,
} from '@switchback/router-core';
import type { Handler } from 'hono';
import type { Breakers } from '../../resilience/breaker-registry.ts';
import type { AppEnv } from '../app-env.ts';

export type OpsRouteDeps = {
  config: RouterConfig;
  /** The secret approval tokens are signed with; without it nothing can be approved. */
  approvalSecret: string | undefined;
  breakers: Pick<Breakers, 'snapshot' | 'close'>;
  quotas: QuotaStore;
  overrides: RouteOverrideStore;
  audit?: AuditLog | undefined;
};

const ACTIONS = { approvals: approveOps, overrides: overrideOps } as const;

/**
 * `POST /ops/approvals` and `POST /ops/overrides` (router-core's `approveOps`, `overrideOps`,
 * the same at the edge): an operator credential, never a tenant key. A breaker is named
 * `<provider>/<model>` (every backend of it is closed).
 */
export const opsRoute = (action: keyof typeof ACTIONS, deps: OpsRouteDeps): Handler<AppEnv> => {
  const ops: OpsDeps = {
    config: deps.config,
    approvalSecret: deps.approvalSecret,
    quotas: deps.quotas,
    overrides: deps.overrides,
    record: async (event) => {
      await deps.audit?.append(event);
    },
    resetBreaker(target) {
      const keys = deps.breakers.snapshot().filter((b) => `${b.provider}/${b.model}` === target);
      for (const key of keys) deps.breakers.close(key);
      return keys.length > 0;
    },
  };
  return async function opsHandler(c) {
    const request: OpsRequest = {
      authorization: c.req.header('authorization'),
      body: await c.req.json().catch(() => undefined),
    };
    return c.json(await ACTIONS[action](ops, request));
  };
};
