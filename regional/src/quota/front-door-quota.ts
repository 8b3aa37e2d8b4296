import {
  admissionBucket,
  asRouterError,
  configuredWorkflows,
  createQuotaMeter,
  estimatePromptTokens,
  globAny,
  knownWorkflow,
  type PolicyStep,
  type QuotaMeter,
  type QuotaStore,
  type QuotaTake,
  type QuotaVerdict,
  type RouterConfig,
} from '@switchback/router-core';
import type { Caller } from '../auth/caller.ts';
import { stateUnavailable } from '../state/guarded-state.ts';
import { type StatePolicy, StateUnavailableError } from '../state/state-store.ts';

/**
 * The workflow a request counts as: at the front door, its `x-workflow` when the config names
 * it, else none (or 400, `limits.unknownWorkflow: reject`), as the edge's admission does; for an
 * escalation, what the edge signed, kept only if this config names it too. Either way no value a
 * client invents becomes a budget, a metric label or a quota class.
 */
export const requestWorkflow = (
  config: RouterConfig,
  caller: Caller,
  header: string | undefined,
): string | undefined => {
  if (caller.mode === 'front-door') return knownWorkflow(config, header || undefined);
  const signed = caller.context.workflow;
  return signed !== undefined && configuredWorkflows(config).has(signed) ? signed : undefined;
};

/**
 * Whether a request fails closed when the quota store cannot answer: a tenant class under
 * `risk.sensitiveClasses`, or a side-effecting tool on offer (`risk.sideEffectTools`), the
 * factors that make a request high risk before it is classified. Everything else fails open.
 */
export const quotaFailsClosed = (
  config: RouterConfig,
  caller: Caller,
  toolNames: readonly string[],
): boolean =>
  config.risk.sensitiveClasses.includes(caller.tenant.class) ||
  toolNames.some((name) => globAny(config.risk.sideEffectTools, name));

/** A front-door request's quota: router-core's meter, with its first draw made by the admission. */
export type FrontDoorQuota = Omit<QuotaMeter, 'admit'> & {
  /** The admission's draw (the workflow's class); none when the tenant class has no quota. */
  readonly draw: QuotaTake | undefined;
  /**
   * Draws `draw` (429 `quota_exceeded` when spent), or reads its verdict from `drawn` when the
   * admission drew it already (a rejection: the store failed, for the quota's policy).
   */
  admit(drawn?: Promise<QuotaVerdict>): Promise<void>;
};

/**
 * The quota of a request at the front door, router-core's meter over the store (the same draws,
 * order and refusals as the edge), its draws written to the policy trace (`quota`: pass, or deny
 * with the class's code) when the tenant class has a quota. None for an escalation: the edge
 * drew for it. When the store cannot answer in time, the request is admitted unmetered (trace
 * `quota: skip state_unavailable`, reported to `onUnavailable`) or, when `quotaFailsClosed`,
 * refused with 503 `upstream_unavailable` + `retry-after`.
 */
export const frontDoorQuota = (input: {
  config: RouterConfig;
  store: QuotaStore;
  caller: Caller;
  workflow: string | undefined;
  rawBody: string;
  trace?: PolicyStep[];
  /** Names of the tools the request offers (the fail-closed test). */
  toolNames?: readonly string[];
  onUnavailable?: (failure: { policy: StatePolicy; error: StateUnavailableError }) => void;
}): FrontDoorQuota | undefined => {
  if (input.caller.mode !== 'front-door') return undefined;
  const estimatedTokens = estimatePromptTokens(input.rawBody);
  const bucket = admissionBucket(input.config, input.caller.tenant, input.workflow);
  // The meter's first take is its admission (the same bucket and tokens as `draw`): answered
  // from the admission's verdict when it drew already, from the store otherwise.
  let drawn: Promise<QuotaVerdict> | undefined;
  const meter = createQuotaMeter({
    config: input.config,
    store: {
      take(tenantId, take) {
        const first = drawn;
        drawn = undefined;
        return first ?? input.store.take(tenantId, take);
      },
      adjust: (tenantId, adjust) => input.store.adjust(tenantId, adjust),
    },
    tenant: input.caller.tenant,
    workflow: input.workflow,
    estimatedTokens,
  });
  const trace = input.trace;
  let unmetered = false;
  const denied = (error: unknown): never => {
    trace?.push({ check: 'quota', result: 'deny', detail: asRouterError(error).code });
    throw error;
  };
  /** The store failed: admit unmetered, or refuse, by the request's risk. */
  const unavailable = (error: unknown): void => {
    if (!(error instanceof StateUnavailableError)) throw error;
    const closed = quotaFailsClosed(input.config, input.caller, input.toolNames ?? []);
    input.onUnavailable?.({ policy: closed ? 'fail_closed' : 'fail_open', error });
    if (closed) denied(stateUnavailable('quotas'));
    unmetered = true;
    trace?.push({ check: 'quota', result: 'skip', detail: 'state_unavailable' });
  };
  return {
    draw: bucket === undefined ? undefined : { buckets: [bucket], tokens: estimatedTokens },
    get snapshot() {
      return unmetered ? undefined : meter.snapshot;
    },
    async admit(verdict) {
      if (bucket !== undefined) drawn = verdict;
      try {
        await meter.admit();
      } catch (error) {
        if (error instanceof StateUnavailableError) return unavailable(error);
        denied(error);
      } finally {
        drawn = undefined;
      }
      if (meter.snapshot !== undefined) trace?.push({ check: 'quota', result: 'pass' });
    },
    async route(routed) {
      if (unmetered) return;
      await meter.route(routed).catch((error: unknown) => {
        if (error instanceof StateUnavailableError) return unavailable(error);
        return denied(error);
      });
    },
    account: (usage) => (unmetered ? Promise.resolve() : meter.account(usage).catch(() => {})),
  };
};
