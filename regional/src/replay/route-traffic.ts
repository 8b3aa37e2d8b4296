import {
  asRouterError,
  type ChatCompletionRequest,
  type Classification,
  type CompactionSpec,
  type ContextTier,
  checkpointedRequest,
  classify,
  decide,
  entryModel,
  type ReasonCode,
  type RouterConfig,
  type Rung,
  rungOf,
  type Tier,
} from '@switchback/router-core';
import type { Label, TrafficRecord } from './traffic.ts';

/** What the router would do with one recorded request. */
export type RoutedRequest = {
  line: number;
  tenant: string;
  workflow: string | undefined;
  label: Label | undefined;
  score: number;
  context: ContextTier;
  estimatedTokens: number;
  /** Completion tokens the request caps itself at, if it does. */
  maxTokens: number | undefined;
} & (
  | { ok: true; tier: Tier; rung: Rung; model: string; reasons: ReasonCode[] }
  | { ok: false; error: string; message: string }
);

/** A record classified once under a config: deciding again with other thresholds reuses it. */
export type Classified = {
  record: TrafficRecord;
  tenant: RouterConfig['tenants'][number] | undefined;
  classification: Classification | undefined;
  /** What is decided and priced: the record's request, checkpointed when its session would be. */
  request: ChatCompletionRequest;
};

/**
 * Which records' sessions are checkpointed: `configured` (a workflow with its own compaction, as
 * the router does), `all` (every record also as if it sent `x-switchback-compaction: auto`), `off`.
 */
export type ReplayCompaction = 'configured' | 'all' | 'off';

const specOf = (
  config: RouterConfig,
  record: TrafficRecord,
  compaction: ReplayCompaction,
): CompactionSpec | undefined => {
  if (compaction === 'off' || config.compaction === undefined) return undefined;
  const own =
    record.workflow === undefined ? undefined : config.compaction.workflows[record.workflow];
  return own ?? (compaction === 'all' ? config.compaction.auto : undefined);
};

/** Classifies each record under `config` (the tenant defaults to the config's first). */
export const classifyTraffic = (
  records: readonly TrafficRecord[],
  config: RouterConfig,
  onProgress?: (done: number, total: number) => void,
  compaction: ReplayCompaction = 'configured',
): Classified[] =>
  records.map((record, i) => {
    if (onProgress !== undefined && i % 2_000 === 0) onProgress(i, records.length);
    const tenant =
      record.tenant === undefined
        ? config.tenants[0]
        : config.tenants.find((t) => t.id === record.tenant);
    const spec = specOf(config, record, compaction);
    const request = spec === undefined ? record.request : checkpointedRequest(record.request, spec);
    const classification =
      tenant === undefined
        ? undefined
        : classify(request, {
            config,
            tenant,
            ...(record.workflow === undefined ? {} : { workflow: record.workflow }),
          });
    return { record, tenant, classification, request };
  });

/** Decides each classified record under `config`; refusals are kept with their error code. */
export const decideTraffic = (
  classified: readonly Classified[],
  config: RouterConfig,
): RoutedRequest[] =>
  classified.map(({ record, tenant, classification, request }) => {
    const base = {
      line: record.line,
      tenant: tenant?.id ?? record.tenant ?? '',
      workflow: record.workflow,
      label: record.label,
      score: classification?.score ?? 0,
      context: classification?.context ?? 'short',
      estimatedTokens: classification?.estimatedTokens ?? 0,
      maxTokens: record.request.max_completion_tokens ?? record.request.max_tokens ?? undefined,
    } as const;
    if (tenant === undefined || classification === undefined) {
      return {
        ...base,
        ok: false,
        error: 'unknown_tenant',
        message: `no tenant "${record.tenant}" in the config`,
      };
    }
    try {
      const decision = decide({ request, classification, config, tenant });
      return {
        ...base,
        ok: true,
        tier: decision.tier,
        rung: rungOf(config, decision),
        model: decision.targets[0].model.id,
        reasons: decision.reasons,
      };
    } catch (thrown) {
      const error = asRouterError(thrown);
      return { ...base, ok: false, error: error.code, message: error.message };
    }
  });

/** Classifies and decides every record under `config`. */
export const routeTraffic = (
  records: readonly TrafficRecord[],
  config: RouterConfig,
  onProgress?: (done: number, total: number) => void,
): RoutedRequest[] => decideTraffic(classifyTraffic(records, config, onProgress), config);

/** The config with its edge ladder folded: every edge model on the fast rung (the two-tier router). */
export const withoutLadder = (config: RouterConfig): RouterConfig => ({
  ...config,
  routes: { ...config.routes, edge: { models: config.routes.edge.models.map(entryModel) } },
});

/** The config with another regional threshold (everything else shared, not copied deeply). */
export const withThreshold = (config: RouterConfig, regionalThreshold: number): RouterConfig => ({
  ...config,
  classification: { ...config.classification, regionalThreshold },
});
