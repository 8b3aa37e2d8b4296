import type { RouterConfig, TenantConfig } from '../config/schema.ts';
import type { ChatCompletionRequest } from '../openai/chat-request.ts';
import type { Classification } from '../routing/contracts.ts';
import { contextTier } from './context-tier.ts';
import {
  DEFAULT_WEIGHTS as DEFAULT_WEIGHTS_,
  FEATURE_NAMES as FEATURE_NAMES_,
  type FeatureName,
} from './feature-names.ts';
import { featureValues } from './feature-values.ts';
import { extractFeatures } from './request-features.ts';
import { assessRisk } from './risk.ts';

// Imports copied to module constants, as in scan-text.ts: under Vite's module runner (vitest,
// bench) each use of an imported binding is a getter call, and these are read once per feature.
const DEFAULT_WEIGHTS = DEFAULT_WEIGHTS_;
const FEATURE_NAMES = FEATURE_NAMES_;

export type ClassifyContext = { config: RouterConfig; tenant: TenantConfig; workflow?: string };

const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;

/**
 * Complexity score with each feature's contribution, risk tier and context tier of a request.
 * Pure and deterministic; reads a bounded share of a long request's text (see `read-budget.ts`).
 */
export const classify = (request: ChatCompletionRequest, ctx: ClassifyContext): Classification => {
  const { classification, risk: riskConfig } = ctx.config;
  const features = extractFeatures(request, riskConfig);
  const values = featureValues(features, classification);
  const weights = classification.weights;
  const contributions = {} as Record<FeatureName, number>;
  let sum = 0;
  for (const name of FEATURE_NAMES) {
    const contribution = values[name] * (weights[name] ?? DEFAULT_WEIGHTS[name]);
    contributions[name] = round4(contribution);
    sum += contribution;
  }
  const { risk, factors } = assessRisk(features, ctx.tenant, riskConfig);
  return {
    score: round4(Math.min(1, Math.max(0, sum))),
    contributions,
    estimatedTokens: features.estimatedTokens,
    risk,
    riskFactors: factors,
    context: contextTier(features.estimatedTokens, classification),
    features,
  };
};
