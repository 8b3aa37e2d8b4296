import type { RouterConfig, TenantConfig } from '../config/schema.ts';
import type { ChatCompletionRequest } from '../openai/chat-request.ts';
import type { Classification, TextFamily } from '../routing/contracts.ts';
import { contextTier } from './context-tier.ts';
import {
  DEFAULT_WEIGHTS as DEFAULT_WEIGHTS_,
  FEATURE_NAMES as FEATURE_NAMES_,
  type FeatureName,
} from './feature-names.ts';
import { cueValues, featureValues, MEDIUM_CONTEXT_VALUE } from './feature-values.ts';
import { SHIPPED_TEXT_MODEL } from './learned/shipped-model.ts';
import { type CueValues, scoreAsk, type TextModel } from './learned/text-model.ts';
import { extractFeatures } from './request-features.ts';
import { assessRisk } from './risk.ts';

// Imports copied to module constants, as in scan-text.ts: under Vite's module runner (vitest,
// bench) each use of an imported binding is a getter call, and these are read once per feature.
const DEFAULT_WEIGHTS = DEFAULT_WEIGHTS_;
const FEATURE_NAMES = FEATURE_NAMES_;

export type ClassifyContext = { config: RouterConfig; tenant: TenantConfig; workflow?: string };

const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;
const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

/** A cue family names the text's verdict when its term adds at least this many logits. */
const FAMILY_MIN_LOGIT = 0.25;

/** The scanner cue or the shape that pushed the text model's verdict up most, if one did. */
const textFamily = (
  model: TextModel,
  values: CueValues,
  shapeLogit: number,
): TextFamily | undefined => {
  // Five comparisons in a fixed order (ties go to the later family, as before); no array of
  // pairs built per request.
  const d = model.dense;
  let best: TextFamily | undefined;
  let bestTerm = FAMILY_MIN_LOGIT;
  const reasoning = d.reasoning * values.reasoning;
  if (reasoning >= bestTerm) {
    best = 'reasoning';
    bestTerm = reasoning;
  }
  const code = d.code * values.code;
  if (code >= bestTerm) {
    best = 'code';
    bestTerm = code;
  }
  const math = d.math * values.math;
  if (math >= bestTerm) {
    best = 'math';
    bestTerm = math;
  }
  const multiStep = d.multiStep * values.multiStep;
  if (multiStep >= bestTerm) {
    best = 'multiStep';
    bestTerm = multiStep;
  }
  if (shapeLogit >= bestTerm) best = 'chain';
  return best;
};

/**
 * `classify` with another text model (the trainer's candidates, a canary's): complexity score
 * with each feature's contribution, risk tier and context tier of a request.
 */
export const classifyWith =
  (model: TextModel) =>
  (request: ChatCompletionRequest, ctx: ClassifyContext): Classification => {
    const { classification, risk: riskConfig } = ctx.config;
    const features = extractFeatures(request, riskConfig);
    const cues = cueValues(features);
    const verdict = scoreAsk(model, request, cues);
    const values = featureValues(features, classification, verdict.probability);
    const weights = classification.weights;
    const contributions = {} as Record<FeatureName, number>;
    let sum = 0;
    for (const name of FEATURE_NAMES) {
      const contribution = values[name] * (weights[name] ?? DEFAULT_WEIGHTS[name]);
      contributions[name] = round4(contribution);
      sum += contribution;
    }
    const { risk, factors } = assessRisk(features, ctx.tenant, riskConfig);
    // The context's value past its medium-threshold quarter is length, not difficulty.
    const lengthPart =
      Math.max(0, values.context - MEDIUM_CONTEXT_VALUE) *
      (weights.context ?? DEFAULT_WEIGHTS.context);
    return {
      score: round4(clamp01(sum)),
      contributions,
      scoreWithoutLength: round4(clamp01(sum - lengthPart)),
      estimatedTokens: features.estimatedTokens,
      risk,
      riskFactors: factors,
      context: contextTier(features.estimatedTokens, classification),
      features,
      text: {
        probability: round4(verdict.probability),
        ngramLogit: round4(verdict.ngramLogit),
        denseLogit: round4(verdict.denseLogit),
        family: textFamily(model, cues, verdict.shapeLogit),
      },
    };
  };

/**
 * Complexity score with each feature's contribution, risk tier and context tier of a request,
 * with the shipped text model. Pure and deterministic; reads a bounded share of a long request's
 * text (see `read-budget.ts`).
 */
export const classify = classifyWith(SHIPPED_TEXT_MODEL);
