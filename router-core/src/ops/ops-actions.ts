import type { ApprovalAuditEvent, OverrideAuditEvent } from '../audit/audit-event.ts';
import type { RouterConfig, TenantConfig } from '../config/schema.ts';
import { RouterError } from '../errors/router-error.ts';
import { approveHeldCall } from '../policy/approval-token.ts';
import type { QuotaStore } from '../quota/quota-store.ts';
import { windowStartOf } from '../quota/quota-window.ts';
import type { ForcedRoute } from '../routing/forced-route.ts';
import { resolveRequestedModel } from '../routing/resolve-model.ts';
import { TIERS, type Tier } from '../routing/tiers.ts';
import { operatorOfAuthorization } from './operator-credential.ts';
import type { RouteOverrideStore } from './route-override.ts';

/** What a door lends its `/ops` routes; each door keeps these its own way. */
export type OpsDeps = {
  config: RouterConfig;
  /** Signs approval tokens; without it nothing can be approved. */
  approvalSecret: string | undefined;
  /** Writes an operator's event to the door's audit log, before the answer goes out. */
  record(event: ApprovalAuditEvent | OverrideAuditEvent): Promise<void>;
  /** Closes the breakers a target names; false when it names none. */
  resetBreaker(target: string): boolean;
  quotas: QuotaStore;
  overrides: RouteOverrideStore;
  now?: () => number;
};

/** An `/ops` request as a door read it: its `authorization` and its JSON body (else undefined). */
export type OpsRequest = { authorization: string | null | undefined; body: unknown };

/** The longest a forced route may last: an operator renews it rather than forgets it. */
export const MAX_OVERRIDE_TTL_SECONDS = 86_400;

const invalid = (message: string, param?: string) =>
  new RouterError('invalid_request', message, param === undefined ? {} : { param });

const fieldsOf = (body: unknown): Record<string, unknown> =>
  typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};

const count = (value: unknown, name: string): number => {
  if (value === undefined) return 0;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  throw invalid(`'${name}' must be a whole number of at least 0.`, name);
};

const tenantOf = (config: RouterConfig, id: unknown): TenantConfig => {
  const tenant = config.tenants.find((t) => t.id === id);
  if (tenant === undefined) throw invalid('Name a configured tenant.', 'tenant');
  return tenant;
};

/** The route a force names, checked against what the tenant may use (an operator forces within policy). */
const forcedRouteOf = (
  config: RouterConfig,
  tenant: TenantConfig,
  action: 'force_tier' | 'force_model',
  target: string,
): ForcedRoute => {
  if (action === 'force_tier') {
    if (!(TIERS as readonly string[]).includes(target)) {
      throw invalid(`'target' must be a tier: ${TIERS.join(' or ')}.`, 'target');
    }
    const tier = target as Tier;
    if (!tenant.allowedTiers.includes(tier)) {
      throw invalid(`Tenant '${tenant.id}' may not use the ${tier} tier.`, 'target');
    }
    return { kind: 'force_tier', tier };
  }
  const model = config.models.find((m) => m.id === target);
  if (model === undefined) throw invalid(`'target' must be a configured model id.`, 'target');
  try {
    const requested = resolveRequestedModel(config, tenant, model.id);
    if (requested.kind === 'model' && tenant.allowedTiers.includes(requested.tier)) {
      return { kind: 'force_model', model: model.id };
    }
  } catch {
    // Not allowed for the tenant: refused below.
  }
  throw invalid(`Tenant '${tenant.id}' may not use the model '${model.id}'.`, 'target');
};

/**
 * `POST /ops/approvals` `{token}`: approves the held tool call the token names, records an
 * `approval` event and answers the approval the client sends back in `x-switchback-approval`.
 */
export const approveOps = async (deps: OpsDeps, request: OpsRequest): Promise<object> => {
  const operator = await operatorOfAuthorization(deps.config, request.authorization);
  if (deps.approvalSecret === undefined) {
    throw invalid('Approvals are off: no approval secret is set.');
  }
  const token = fieldsOf(request.body).token;
  const approved =
    typeof token === 'string'
      ? await approveHeldCall(deps.approvalSecret, token, operator, (deps.now ?? Date.now)())
      : undefined;
  if (approved === undefined) {
    throw invalid('Not a valid approval token (forged, altered or expired).', 'token');
  }
  const { call } = approved;
  await deps.record({
    type: 'approval',
    ts: new Date((deps.now ?? Date.now)()).toISOString(),
    operator,
    tenant: call.tenant,
    request_id: call.request_id,
    call_id: call.call_id,
    tool: call.name,
    args_sha256: call.args_sha256,
  });
  return {
    approval: approved.approval,
    operator,
    tenant: call.tenant,
    call_id: call.call_id,
    tool: call.name,
  };
};

/**
 * `POST /ops/overrides`: `reset_breaker` (`target`: what the door's breakers are named by),
 * `lift_quota` (`tenant`, `target`: a request class, `requests`, `tokens`: given back to its
 * current window), `force_tier` / `force_model` (`tenant`, `target`: a tier or a configured model
 * id, `ttl_seconds`: until it lapses). Each is an `override` event with the operator's id,
 * recorded before the answer, which is the event.
 */
export const overrideOps = async (deps: OpsDeps, request: OpsRequest): Promise<object> => {
  const operator = await operatorOfAuthorization(deps.config, request.authorization);
  const body = fieldsOf(request.body);
  const now = (deps.now ?? Date.now)();
  const target = typeof body.target === 'string' ? body.target : '';
  const reason = typeof body.reason === 'string' ? { reason: body.reason } : {};
  const base = { type: 'override', ts: new Date(now).toISOString(), operator, target } as const;
  let event: OverrideAuditEvent;
  if (body.action === 'reset_breaker') {
    if (!deps.resetBreaker(target)) throw invalid(`No breaker of '${target}'.`, 'target');
    event = { ...base, action: 'reset_breaker', ...reason };
  } else if (body.action === 'lift_quota') {
    const tenant = tenantOf(deps.config, body.tenant);
    const requests = count(body.requests, 'requests');
    const tokens = count(body.tokens, 'tokens');
    await deps.quotas.adjust(tenant.id, {
      buckets: [target],
      requests: -requests,
      tokens: -tokens,
      windowStart: windowStartOf(now),
    });
    event = {
      ...base,
      action: 'lift_quota',
      tenant: tenant.id,
      reason: `gave back ${requests} requests and ${tokens} tokens${'reason' in reason ? `: ${reason.reason}` : ''}`,
    };
  } else if (body.action === 'force_tier' || body.action === 'force_model') {
    const tenant = tenantOf(deps.config, body.tenant);
    const route = forcedRouteOf(deps.config, tenant, body.action, target);
    const ttl = body.ttl_seconds;
    if (
      typeof ttl !== 'number' ||
      !Number.isInteger(ttl) ||
      ttl < 1 ||
      ttl > MAX_OVERRIDE_TTL_SECONDS
    ) {
      throw invalid(
        `'ttl_seconds' must be a whole number from 1 to ${MAX_OVERRIDE_TTL_SECONDS}.`,
        'ttl_seconds',
      );
    }
    const expiresAt = now + ttl * 1000;
    await deps.overrides.set({ ...route, tenant: tenant.id, operator, expiresAt });
    event = {
      ...base,
      action: body.action,
      tenant: tenant.id,
      expires_at: new Date(expiresAt).toISOString(),
      ...reason,
    };
  } else {
    throw invalid(
      "'action' must be reset_breaker, lift_quota, force_tier or force_model.",
      'action',
    );
  }
  await deps.record(event);
  return event;
};
