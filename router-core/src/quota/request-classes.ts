import type { RouterConfig, TenantConfig } from '../config/schema.ts';
import { RouterError } from '../errors/router-error.ts';
import type { ContextTier, Tier } from '../routing/tiers.ts';

/** The class every request of a tenant draws from unless its workflow has one of its own. */
export const DEFAULT_CLASS = 'default';

/** Request classes drawn from on top of the workflow's, once the request is classified. */
export const ROUTED_CLASSES = ['long-context', 'regional'] as const;
export type RoutedClass = (typeof ROUTED_CLASSES)[number];

/** The parts of a config that say which workflows exist (structural, for the cross-checks). */
export type WorkflowSources = {
  budgets: { workflows: Record<string, unknown> };
  tenants: readonly { tools: Record<string, unknown> }[];
};

const known = new WeakMap<WorkflowSources, ReadonlySet<string>>();

/**
 * The workflows a config names: under `budgets.workflows` or in a tenant's `tools`. Only these
 * become quota classes, metric labels or budgets, so a client cannot mint new ones.
 */
export const configuredWorkflows = (config: WorkflowSources): ReadonlySet<string> => {
  let names = known.get(config);
  if (names === undefined) {
    const all = new Set(Object.keys(config.budgets.workflows));
    for (const tenant of config.tenants) {
      for (const workflow of Object.keys(tenant.tools)) {
        if (workflow !== DEFAULT_CLASS) all.add(workflow);
      }
    }
    names = all;
    known.set(config, names);
  }
  return names;
};

/**
 * The workflow a request counts as: the `x-workflow` it sent when the config names it, else none
 * (the `default` class), or 400 when `limits.unknownWorkflow` is `reject`.
 */
export const knownWorkflow = (
  config: RouterConfig,
  sent: string | undefined,
): string | undefined => {
  if (sent === undefined || configuredWorkflows(config).has(sent)) return sent;
  if (config.limits.unknownWorkflow === 'reject') {
    throw new RouterError(
      'invalid_request',
      `Unknown x-workflow '${sent}': send one of ${[...configuredWorkflows(config)].join(', ') || '(none configured)'}, or none.`,
    );
  }
  return undefined;
};

/** One allowance of a tenant: a request class with its limits. */
export type QuotaBucket = { name: string; requests: number; tokens: number };

const bucket = (
  name: string,
  limit: { requestsPerMinute: number; tokensPerMinute: number },
): QuotaBucket => ({ name, requests: limit.requestsPerMinute, tokens: limit.tokensPerMinute });

/**
 * The bucket a request draws from when admitted: its workflow's class when the tenant class has
 * one, else `default`. `undefined` when the tenant class has no quota at all.
 */
export const admissionBucket = (
  config: RouterConfig,
  tenant: TenantConfig,
  workflow: string | undefined,
): QuotaBucket | undefined => {
  const quota = config.quotas[tenant.class];
  if (quota === undefined) return undefined;
  const own = workflow === undefined ? undefined : quota.classes[workflow];
  return own === undefined || workflow === undefined
    ? bucket(DEFAULT_CLASS, quota.default)
    : bucket(workflow, own);
};

/** The buckets a classified request draws from as well: `long-context`, `regional`, where set. */
export const routedBuckets = (
  config: RouterConfig,
  tenant: TenantConfig,
  routed: { contextTier: ContextTier; tier: Tier },
): QuotaBucket[] => {
  const quota = config.quotas[tenant.class];
  if (quota === undefined) return [];
  const out: QuotaBucket[] = [];
  const longContext = quota.classes['long-context'];
  if (routed.contextTier === 'long' && longContext !== undefined) {
    out.push(bucket('long-context', longContext));
  }
  const regional = quota.classes.regional;
  if (routed.tier === 'regional' && regional !== undefined) out.push(bucket('regional', regional));
  return out;
};
