import {
  type AuditEvent,
  approveOps,
  type OpsDeps,
  overrideOps,
  type RouterConfig,
  tenantScopedName,
} from '@switchback/router-core';
import type { Context, Handler } from 'hono';
import { type AuditEnv, auditSecretFromEnv } from '../audit/audit-sink-from-env.ts';
import type { AppEnv } from '../env.ts';
import { durableQuotaStore } from '../objects/quota-object-store.ts';
import { kvOverrideStore } from '../ops/kv-override-store.ts';
import { applyRolloutVerdict, readRollout } from '../ops/rollout-ops.ts';
import type { Breaker } from '../regional/breaker.ts';

/** The chain of operator events that name no tenant (the archive files them under `_`). */
const NO_TENANT_CHAIN = '_';

export type OpsRouteOptions = { config: RouterConfig; breaker: Breaker };

/** Appends an operator's event to its tenant's chain (else the no-tenant chain), and waits for it. */
export const recordOpsEvent = async (env: Env, event: AuditEvent): Promise<void> => {
  const tenant = 'tenant' in event && event.tenant ? event.tenant : NO_TENANT_CHAIN;
  await env.AUDIT.getByName(tenantScopedName(tenant, 'audit')).appendAll([event]);
};

const opsDeps = (c: Context<AppEnv>, { config, breaker }: OpsRouteOptions): OpsDeps => {
  const env = c.env as Env & AuditEnv & { SWITCHBACK_APPROVAL_SECRET?: string };
  return {
    config,
    approvalSecret: env.SWITCHBACK_APPROVAL_SECRET || auditSecretFromEnv(env),
    record: (event) => recordOpsEvent(c.env, event),
    // The edge's one breaker is its isolate's, on the way to regional.
    resetBreaker(target) {
      if (target !== 'regional') return false;
      breaker.close();
      return true;
    },
    quotas: durableQuotaStore(c.env.QUOTAS),
    overrides: kvOverrideStore(c.env.CONFIG),
  };
};

const ACTIONS = { approvals: approveOps, overrides: overrideOps } as const;

/**
 * `POST /ops/approvals` and `POST /ops/overrides` at the edge: router-core's `approveOps` and
 * `overrideOps`, as at regional, over the edge's stores (quota objects, forced routes in KV, the
 * tenant's audit chain). The edge's breaker is named `regional` and is this isolate's alone.
 */
export const opsRoute = (action: keyof typeof ACTIONS, options: OpsRouteOptions): Handler<AppEnv> =>
  async function opsHandler(c) {
    const body: unknown = await c.req.json().catch(() => undefined);
    const answer = await ACTIONS[action](opsDeps(c, options), {
      authorization: c.req.header('authorization'),
      body,
    });
    return c.json(answer);
  };

/** `GET /ops/rollout`: the canary in KV (operator). */
export const rolloutRead = ({ config }: { config: RouterConfig }): Handler<AppEnv> =>
  async function rolloutRead(c) {
    return c.json(await readRollout(config, c.env.CONFIG, c.req.header('authorization')));
  };

/**
 * `POST /ops/rollout` `{event}`: a gate's verdict (`switchback rollout watch`) carried out on the
 * config in KV, and its `rollout_decision` event recorded with the operator, before the answer.
 * Isolates take the new config within their KV cache time (30 s) and KV's propagation.
 */
export const rolloutApply = ({ config }: { config: RouterConfig }): Handler<AppEnv> =>
  async function rolloutApply(c) {
    const body: unknown = await c.req.json().catch(() => undefined);
    const applied = await applyRolloutVerdict(config, c.env.CONFIG, {
      authorization: c.req.header('authorization'),
      body,
    });
    await recordOpsEvent(c.env, applied.event);
    return c.json(applied);
  };
