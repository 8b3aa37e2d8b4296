import {
  budgetFor,
  CONTEXT_TIERS,
  type ContextTier,
  type RouterConfig,
  RUNGS,
  type Rung,
  TIERS,
  type Tier,
} from '@switchback/router-core';
import { assumedCompletionTokens, predictedTimes } from './assumptions.ts';
import type { RoutedRequest } from './route-traffic.ts';
import type { Label } from './traffic.ts';

/** A request whose predicted time exceeds its workflow's budgets. */
export type AtRisk = {
  line: number;
  workflow: string;
  tier: Tier;
  estimatedTokens: number;
  predictedTtftMs: number;
  predictedTotalMs: number;
  exceeds: ('ttft' | 'total')[];
};

/** What a replay adds up to; `simulate --json` prints it. */
export type ReplaySummary = {
  requests: number;
  routed: number;
  refused: Record<string, number>;
  tiers: Record<Tier, { count: number; share: number }>;
  /** Three ways: the fast edge models, the large edge model, regional. */
  rungs: Record<Rung, { count: number; share: number }>;
  models: Record<string, { count: number; share: number }>;
  context: Record<ContextTier, { count: number; share: number }>;
  /** Predicted USD per 1,000 routed requests. */
  costPer1k: number;
  atRisk: { count: number; share: number; examples: AtRisk[] };
  /** Label × tier counts, over routed requests with a label; absent when none has one. */
  confusion?: Record<Label, Record<Tier, number>>;
};

const share = (count: number, total: number): number =>
  total === 0 ? 0 : Math.round((count / total) * 10_000) / 10_000;

const counted = <K extends string>(counts: Map<K, number>, total: number) =>
  Object.fromEntries(
    [...counts].map(([key, count]) => [key, { count, share: share(count, total) }]),
  ) as Record<K, { count: number; share: number }>;

/** USD the primary model would charge for a routed request, by the assumptions. */
export const predictedCost = (config: RouterConfig, routed: RoutedRequest): number => {
  if (!routed.ok) return 0;
  const model = config.models.find((m) => m.id === routed.model);
  if (model === undefined) return 0;
  const completion = assumedCompletionTokens(routed.maxTokens);
  return (
    (routed.estimatedTokens * model.price.inputPerMillion +
      completion * model.price.outputPerMillion) /
    1e6
  );
};

const riskOf = (config: RouterConfig, routed: RoutedRequest): AtRisk | undefined => {
  if (!routed.ok) return undefined;
  const budget = budgetFor(config, routed.workflow);
  const times = predictedTimes(
    routed.tier,
    routed.estimatedTokens,
    assumedCompletionTokens(routed.maxTokens),
  );
  const exceeds: AtRisk['exceeds'] = [];
  if (times.ttftMs > budget.ttftMs) exceeds.push('ttft');
  if (times.totalMs > budget.totalMs) exceeds.push('total');
  if (exceeds.length === 0) return undefined;
  return {
    line: routed.line,
    workflow: routed.workflow ?? 'default',
    tier: routed.tier,
    estimatedTokens: routed.estimatedTokens,
    predictedTtftMs: Math.round(times.ttftMs),
    predictedTotalMs: Math.round(times.totalMs),
    exceeds,
  };
};

/** Shares, cost, context mix, budget risk and (with labels) the confusion matrix of a replay. */
export const summarise = (
  config: RouterConfig,
  routedRequests: readonly RoutedRequest[],
  maxExamples = 5,
): ReplaySummary => {
  const refused: Record<string, number> = {};
  const tiers = new Map<Tier, number>(TIERS.map((t) => [t, 0]));
  const rungs = new Map<Rung, number>(RUNGS.map((r) => [r, 0]));
  const models = new Map<string, number>();
  const context = new Map<ContextTier, number>(CONTEXT_TIERS.map((c) => [c, 0]));
  const confusion: Record<Label, Record<Tier, number>> = {
    easy: { edge: 0, regional: 0 },
    hard: { edge: 0, regional: 0 },
  };
  let labelled = 0;
  let cost = 0;
  let routed = 0;
  const atRisk: AtRisk[] = [];
  let atRiskCount = 0;
  for (const r of routedRequests) {
    context.set(r.context, (context.get(r.context) ?? 0) + 1);
    if (!r.ok) {
      refused[r.error] = (refused[r.error] ?? 0) + 1;
      continue;
    }
    routed++;
    tiers.set(r.tier, (tiers.get(r.tier) ?? 0) + 1);
    rungs.set(r.rung, (rungs.get(r.rung) ?? 0) + 1);
    models.set(r.model, (models.get(r.model) ?? 0) + 1);
    cost += predictedCost(config, r);
    if (r.label !== undefined) {
      confusion[r.label][r.tier]++;
      labelled++;
    }
    const risk = riskOf(config, r);
    if (risk !== undefined) {
      atRiskCount++;
      if (atRisk.length < maxExamples) atRisk.push(risk);
    }
  }
  const sortedModels = new Map([...models].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
  return {
    requests: routedRequests.length,
    routed,
    refused,
    tiers: counted(tiers, routed),
    rungs: counted(rungs, routed),
    models: counted(sortedModels, routed),
    context: counted(context, routedRequests.length),
    costPer1k: routed === 0 ? 0 : Math.round((cost / routed) * 1_000 * 10_000) / 10_000,
    atRisk: { count: atRiskCount, share: share(atRiskCount, routed), examples: atRisk },
    ...(labelled > 0 ? { confusion } : {}),
  };
};
