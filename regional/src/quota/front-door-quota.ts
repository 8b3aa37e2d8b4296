import {
  asRouterError,
  configuredWorkflows,
  createQuotaMeter,
  estimatePromptTokens,
  knownWorkflow,
  type PolicyStep,
  type QuotaMeter,
  type QuotaStore,
  type RouterConfig,
} from '@switchback/router-core';
import type { Caller } from '../auth/caller.ts';

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
 * The quota of a request at the front door, router-core's meter over this replica's store (the
 * same draws, order and refusals as the edge), its draws written to the policy trace (`quota`:
 * pass, or deny with the class's code) when the tenant class has a quota. None for an escalation:
 * the edge drew for it.
 */
export const frontDoorQuota = (input: {
  config: RouterConfig;
  store: QuotaStore;
  caller: Caller;
  workflow: string | undefined;
  rawBody: string;
  trace?: PolicyStep[];
}): QuotaMeter | undefined => {
  if (input.caller.mode !== 'front-door') return undefined;
  const meter = createQuotaMeter({
    config: input.config,
    store: input.store,
    tenant: input.caller.tenant,
    workflow: input.workflow,
    estimatedTokens: estimatePromptTokens(input.rawBody),
  });
  const trace = input.trace;
  if (trace === undefined) return meter;
  const denied = (error: unknown): never => {
    trace.push({ check: 'quota', result: 'deny', detail: asRouterError(error).code });
    throw error;
  };
  return {
    get snapshot() {
      return meter.snapshot;
    },
    async admit() {
      await meter.admit().catch(denied);
      if (meter.snapshot !== undefined) trace.push({ check: 'quota', result: 'pass' });
    },
    route: (routed) => meter.route(routed).catch(denied),
    account: (usage) => meter.account(usage),
  };
};
