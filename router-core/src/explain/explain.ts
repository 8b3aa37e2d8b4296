import { classify } from '../classify/classify.ts';
import type { AskShape } from '../classify/learned/ask-shape.ts';
import { SHIPPED_TEXT_MODEL } from '../classify/learned/shipped-model.ts';
import { type TextDriver, textDrivers } from '../classify/learned/text-drivers.ts';
import { askShapeOf, shapeLogit } from '../classify/learned/text-model.ts';
import type { RequestFeatures } from '../classify/request-features.ts';
import type { RiskFactor } from '../classify/risk.ts';
import type { RouterConfig, TenantConfig } from '../config/schema.ts';
import type { ChatCompletionRequest } from '../openai/chat-request.ts';
import type { SessionState, TextVerdictSummary } from '../routing/contracts.ts';
import { decide, rungOf } from '../routing/decide.ts';
import type { ReasonCode } from '../routing/reason-codes.ts';
import type { ContextTier, RiskTier, Rung, Tier } from '../routing/tiers.ts';

export type ExplainContext = {
  config: RouterConfig;
  tenant: TenantConfig;
  workflow?: string;
  session?: SessionState;
  regionalAvailable?: boolean;
  forceTier?: Tier;
};

/** One step of a route, by ids: the config's model id, the provider's id and model name. */
export type ExplainedTarget = { provider: string; model: string; modelName: string };

/** Why a request would go where it goes: `switchback explain` prints this. */
export type Explanation = {
  tier: Tier;
  /** The edge ladder's verdict: `fast`, `large` (the large edge model) or `regional`. */
  rung: Rung;
  provider: string;
  model: string;
  modelName: string;
  fallbacks: ExplainedTarget[];
  reasons: ReasonCode[];
  score: number;
  /** The score with length counted only to the medium threshold (what the ladder calls hard). */
  scoreWithoutLength: number;
  threshold: number;
  /** Medium complexity starts here: the large edge model's share (with a ladder). */
  largeThreshold: number;
  contributions: Record<string, number>;
  /**
   * The learned text model's verdict, the ask's n-grams that pushed it most either way, and its
   * shape with the logit that added (part of `denseLogit`).
   */
  text:
    | (TextVerdictSummary & { drivers: TextDriver[]; shape: AskShape & { logit: number } })
    | undefined;
  risk: RiskTier;
  riskFactors: RiskFactor[];
  context: ContextTier;
  estimatedTokens: number;
  degradable: boolean;
  features: RequestFeatures | undefined;
};

/** The n-grams `explain` lists. */
const TEXT_DRIVERS = 8;

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

const shapeOf = (request: ChatCompletionRequest): AskShape & { logit: number } => {
  const shape = askShapeOf(request);
  return {
    terse: round3(shape.terse),
    repeats: round3(shape.repeats),
    chain: round3(shape.chain),
    logit: round3(shapeLogit(SHIPPED_TEXT_MODEL, shape)),
  };
};

/** Classifies and decides one request and says why, without calling anything. */
export const explainRequest = (
  request: ChatCompletionRequest,
  ctx: ExplainContext,
): Explanation => {
  const classification = classify(request, ctx);
  const decision = decide({
    request,
    classification,
    config: ctx.config,
    tenant: ctx.tenant,
    ...(ctx.session === undefined ? {} : { session: ctx.session }),
    ...(ctx.regionalAvailable === undefined ? {} : { regionalAvailable: ctx.regionalAvailable }),
    ...(ctx.forceTier === undefined ? {} : { forceTier: ctx.forceTier }),
  });
  const [primary, ...rest] = decision.targets;
  const describe = (t: typeof primary): ExplainedTarget => ({
    provider: t.provider.id,
    model: t.model.id,
    modelName: t.model.name,
  });
  return {
    tier: decision.tier,
    rung: rungOf(ctx.config, decision),
    ...describe(primary),
    fallbacks: rest.map(describe),
    reasons: decision.reasons,
    score: classification.score,
    scoreWithoutLength: classification.scoreWithoutLength ?? classification.score,
    threshold: ctx.config.classification.regionalThreshold,
    largeThreshold: ctx.config.classification.largeThreshold,
    contributions: classification.contributions,
    text:
      classification.text === undefined
        ? undefined
        : {
            ...classification.text,
            drivers: textDrivers(SHIPPED_TEXT_MODEL, request)
              .slice(0, TEXT_DRIVERS)
              .map((d) => ({ ngram: d.ngram, logit: round3(d.logit) })),
            shape: shapeOf(request),
          },
    risk: classification.risk,
    riskFactors: classification.riskFactors ?? [],
    context: classification.context,
    estimatedTokens: classification.estimatedTokens,
    degradable: decision.degradable,
    features: classification.features,
  };
};
