import { FEATURE_NAMES, type FeatureName } from '../classify/feature-names.ts';
import type { RiskFactor } from '../classify/risk.ts';
import type { RouterConfig, TenantConfig } from '../config/schema.ts';
import { RouterError } from '../errors/router-error.ts';
import type { ChatCompletionRequest } from '../openai/chat-request.ts';
import type {
  Classification,
  Decision,
  RouteTarget,
  SessionState,
  TextFamily,
} from './contracts.ts';
import type { ForcedRoute } from './forced-route.ts';
import { withSupportedTargets } from './parameter-support.ts';
import type { ReasonCode } from './reason-codes.ts';
import { resolveRequestedModel } from './resolve-model.ts';
import {
  hasLargeRung,
  largeModelIds,
  routeTargets,
  rungTargets,
  type TargetNeeds,
  targetFits,
  targetOfModel,
} from './route-targets.ts';
import type { Rung, Tier } from './tiers.ts';

export type DecideInput = {
  request: ChatCompletionRequest;
  classification: Classification;
  config: RouterConfig;
  tenant: TenantConfig;
  session?: SessionState;
  /** False when regional is known to be down (breaker open): the degrade policy applies. */
  regionalAvailable?: boolean;
  /** Serve on this tier whatever the score says (e.g. regional serving an escalated request). */
  forceTier?: Tier;
  /** An operator's forced tier or model for the tenant (reason `override`); the tenant's policy still holds. */
  override?: ForcedRoute | undefined;
};

/** Room kept for the reply when the request sets no output limit. */
export const DEFAULT_OUTPUT_RESERVE_TOKENS = 1024;

/** Contributions below this do not name a reason: they did not drive the decision. */
const DRIVER_MIN_CONTRIBUTION = 0.1;
const MAX_DRIVERS = 3;

const DRIVER_REASON: Record<Exclude<FeatureName, 'text'>, ReasonCode> = {
  context: 'long_context',
  tools: 'tools_requested',
  sideEffects: 'side_effect_tools',
  structuredOutput: 'structured_output',
  outputLength: 'long_output',
  images: 'images',
  turns: 'long_conversation',
};

/** The text's verdict is named by the cue family that pushed it most, else by its wording. */
const TEXT_REASON: Record<TextFamily, ReasonCode> = {
  reasoning: 'reasoning_task',
  code: 'code_task',
  math: 'math_task',
  multiStep: 'multi_step',
  chain: 'chained_statements',
};

const RISK_REASON: Record<RiskFactor, ReasonCode> = {
  side_effect_tools: 'side_effect_tools',
  pii: 'pii_detected',
  sensitive_class: 'sensitive_tenant',
};

/** The features that pushed the score up most, as reason codes, largest first (ties: in order). */
const driverReasons = (
  contributions: Record<string, number>,
  family: TextFamily | undefined,
): ReasonCode[] => {
  const drivers: ReasonCode[] = [];
  const values: number[] = [];
  for (const name of FEATURE_NAMES) {
    const value = contributions[name] ?? 0;
    if (value < DRIVER_MIN_CONTRIBUTION) continue;
    const reason =
      name === 'text'
        ? family === undefined
          ? 'hard_wording'
          : TEXT_REASON[family]
        : DRIVER_REASON[name];
    // Insertion into the few kept so far, after every one at least as large; the last drops out.
    let at = Math.min(drivers.length, MAX_DRIVERS - 1);
    if (at === MAX_DRIVERS - 1 && (values[at] ?? 0) >= value) continue;
    for (; at > 0 && (values[at - 1] ?? 0) < value; at--) {
      drivers[at] = drivers[at - 1] as ReasonCode;
      values[at] = values[at - 1] ?? 0;
    }
    drivers[at] = reason;
    values[at] = value;
  }
  return drivers;
};

const countImages = (request: ChatCompletionRequest): number => {
  let images = 0;
  for (const message of request.messages) {
    if (message.role === 'user' && Array.isArray(message.content)) {
      for (const part of message.content) if (part.type === 'image_url') images++;
    }
  }
  return images;
};

const unique = (reasons: ReasonCode[]): ReasonCode[] =>
  reasons.filter((reason, i) => reasons.indexOf(reason) === i);

const nonEmpty = (targets: RouteTarget[]): targets is [RouteTarget, ...RouteTarget[]] =>
  targets.length > 0;

const cannotServe = (needs: TargetNeeds, where: string): RouterError =>
  new RouterError(
    'invalid_request',
    needs.vision
      ? `This request contains images, and no model ${where} accepts images. Send text only, or ask for a model that reads images.`
      : `This request needs about ${needs.tokens} tokens (prompt plus reply), more than the context window of any model ${where}. Shorten the messages or lower max_tokens.`,
    { param: 'messages' },
  );

const tierDenied = (allowedTiers: readonly Tier[], tier: Tier, what: string): RouterError =>
  new RouterError(
    'policy_denied',
    `${what} is served by the ${tier} tier, which this API key may not use (allowed: ${allowedTiers.join(', ')}).`,
    { param: 'model' },
  );

/** The targets of a route that can take the request, in order. */
const fitting = (route: readonly RouteTarget[], needs: TargetNeeds): RouteTarget[] => {
  const targets: RouteTarget[] = [];
  for (const target of route) if (targetFits(target, needs)) targets.push(target);
  return targets;
};

const regionalDown = (config: RouterConfig, why: string): RouterError =>
  new RouterError(
    'upstream_unavailable',
    `The regional tier is unavailable and ${why}. Retry later.`,
    { retryAfterSeconds: Math.max(1, Math.ceil(config.breaker.resetTimeoutMs / 1000)) },
  );

/**
 * Where a request goes: tier, primary target and fallbacks, and the reasons. Pure: the same
 * input always gives the same decision. Throws `unknown_model`, `policy_denied`,
 * `invalid_request` (nothing can take it) or `upstream_unavailable` (regional down, no degrade).
 */
export const decide = (input: DecideInput): Decision => {
  const decision = decideTier(input);
  try {
    return withSupportedTargets(input.request, decision);
  } catch (error) {
    if (!decision.reasons.includes('regional_unavailable_degraded')) throw error;
    // Regional's outage, not the request, is why it cannot be served: a 503, not a 400.
    throw regionalDown(input.config, 'the edge tier cannot honour this request’s parameters');
  }
};

/** The tier and its route, before the parameters' support filters the chain. */
const decideTier = (input: DecideInput): Decision => {
  const { request, classification, config, tenant, session, forceTier } = input;
  const regionalAvailable = input.regionalAvailable ?? true;
  const { override } = input;
  const forcedModel = override?.kind === 'force_model' ? override.model : undefined;
  const requested = resolveRequestedModel(config, tenant, forcedModel ?? request.model);
  const images = classification.features?.images ?? countImages(request);
  const needs: TargetNeeds = {
    tokens:
      classification.estimatedTokens +
      (request.max_completion_tokens ?? request.max_tokens ?? DEFAULT_OUTPUT_RESERVE_TOKENS),
    vision: images > 0,
  };
  const allowedTiers = tenant.allowedTiers;
  const denyTier = (tier: Tier, what: string): RouterError => tierDenied(allowedTiers, tier, what);

  // A named model: exactly that model, or an error; never a silent substitute.
  if (requested.kind === 'model') {
    const target = targetOfModel(config, requested.model.id);
    if (!allowedTiers.includes(requested.tier)) {
      throw denyTier(requested.tier, `The model "${requested.name}"`);
    }
    if (target === undefined || !targetFits(target, needs)) {
      throw cannotServe(needs, `named "${requested.name}"`);
    }
    if (requested.tier === 'regional' && !regionalAvailable) {
      throw regionalDown(config, `the model "${requested.name}" is only served there`);
    }
    return {
      tier: requested.tier,
      targets: [target],
      reasons: [forcedModel === undefined ? 'explicit_model' : 'override'],
      degradable: false,
    };
  }

  const candidates = (tier: Tier): RouteTarget[] =>
    allowedTiers.includes(tier)
      ? fitting(tier === 'edge' ? rungTargets(config, 'fast') : routeTargets(config, tier), needs)
      : [];

  // A named tier (alias) or a tier forced by the caller: that tier's route.
  const forcedTier = override?.kind === 'force_tier' ? override.tier : undefined;
  const pinnedTier =
    forceTier ?? forcedTier ?? (requested.kind === 'tier' ? requested.tier : undefined);
  if (pinnedTier !== undefined) {
    if (!allowedTiers.includes(pinnedTier)) {
      throw denyTier(
        pinnedTier,
        requested.kind === 'tier' ? `The model "${requested.name}"` : 'This request',
      );
    }
    const targets = candidates(pinnedTier);
    if (!nonEmpty(targets)) throw cannotServe(needs, `of the ${pinnedTier} tier`);
    if (pinnedTier === 'regional' && !regionalAvailable) {
      throw regionalDown(config, 'this request was pinned to it');
    }
    const reason =
      forceTier === undefined && forcedTier !== undefined ? 'override' : 'explicit_tier';
    return { tier: pinnedTier, targets, reasons: [reason], degradable: false };
  }

  // auto: the tenant's tiers, then hard constraints and risk, then the score.
  const { risk: riskPolicy, classification: thresholds } = config;
  const edgeTargets = candidates('edge');
  const regionalTargets = candidates('regional');
  const degradable =
    riskPolicy.degradeToEdge.includes(classification.risk) && edgeTargets.length > 0;
  // With a large edge model, length alone never makes a request hard: the large rung takes it.
  const ladder = hasLargeRung(config);
  const hardness = ladder
    ? (classification.scoreWithoutLength ?? classification.score)
    : classification.score;

  let tier: Tier;
  let reasons: ReasonCode[];
  if (!allowedTiers.includes('regional')) {
    tier = 'edge';
    reasons = ['tenant_edge_only'];
  } else if (!allowedTiers.includes('edge')) {
    tier = 'regional';
    reasons = ['tenant_regional_only'];
  } else {
    const causes: ReasonCode[] = [];
    if (riskPolicy.escalate.includes(classification.risk)) {
      causes.push('high_risk', ...(classification.riskFactors ?? []).map((f) => RISK_REASON[f]));
    }
    if (edgeTargets.length === 0) {
      const fitsByLength = routeTargets(config, 'edge').some(
        (t) => t.model.contextWindow >= needs.tokens,
      );
      causes.push(fitsByLength ? 'images' : 'exceeds_edge_context');
    }
    if (hardness >= thresholds.regionalThreshold) {
      causes.push(
        'complex_prompt',
        ...driverReasons(classification.contributions, classification.text?.family),
      );
    }
    const sticky = session?.stickyTier === 'regional' && session.stickyTurnsLeft > 0;
    if (causes.length > 0) {
      tier = 'regional';
      reasons = causes;
    } else if (sticky) {
      tier = 'regional';
      reasons = ['sticky_session'];
    } else {
      tier = 'edge';
      reasons = ['simple_prompt'];
    }
  }

  if (tier === 'regional' && !regionalAvailable) {
    if (!degradable || !allowedTiers.includes('edge')) {
      throw regionalDown(
        config,
        `the risk policy does not let this ${classification.risk}-risk request be served by the edge tier`,
      );
    }
    tier = 'edge';
    reasons = [...reasons, 'regional_unavailable_degraded'];
  }

  if (tier === 'edge' && ladder) {
    const rung = largeRung(input, needs, edgeTargets, reasons);
    if (rung !== undefined) {
      return { tier, targets: rung.targets, reasons: unique(rung.reasons), degradable };
    }
  }
  const targets = tier === 'edge' ? edgeTargets : regionalTargets;
  if (!nonEmpty(targets)) throw cannotServe(needs, `this API key may use`);
  return { tier, targets, reasons: unique(reasons), degradable };
};

/**
 * The large rung of the edge ladder, when an edge request needs it: medium complexity (score at
 * or above `largeThreshold`), a long context (or one no fast model fits), or a hard request the
 * edge serves only because regional is down (or the tenant may not use it). Undefined: the fast
 * rung serves.
 */
const largeRung = (
  input: DecideInput,
  needs: TargetNeeds,
  edgeTargets: readonly RouteTarget[],
  reasons: readonly ReasonCode[],
): { targets: [RouteTarget, ...RouteTarget[]]; reasons: ReasonCode[] } | undefined => {
  const { classification, config } = input;
  const largeTargets = fitting(rungTargets(config, 'large'), needs);
  if (!nonEmpty(largeTargets)) return undefined;
  // The fast models that fit follow as the fallback: a large model down degrades the answer to
  // the small one rather than failing it (as the fast rung's chain ends with the large model).
  const large = largeModelIds(config);
  const targets: [RouteTarget, ...RouteTarget[]] = [
    ...largeTargets,
    ...fitting(rungTargets(config, 'fast'), needs).filter((t) => !large.has(t.model.id)),
  ];
  const fastFits = edgeTargets.some((t) => !large.has(t.model.id));
  let why: ReasonCode | undefined;
  if (reasons.includes('complex_prompt')) why = 'complex_prompt';
  else if (classification.score >= config.classification.largeThreshold) why = 'medium_complexity';
  else if (!fastFits && needs.vision) why = 'images';
  else if (classification.context === 'long' || !fastFits) why = 'long_context';
  if (why === undefined) return undefined;
  // The fast rung's verdict (`simple_prompt`) is replaced by the rung and why (medium
  // complexity with the features that drove it, as a hard verdict names them).
  const kept = reasons.filter((r) => r !== 'simple_prompt');
  const drivers =
    why === 'medium_complexity'
      ? driverReasons(classification.contributions, classification.text?.family)
      : [];
  return { targets, reasons: ['edge_large', why, ...drivers, ...kept] };
};

/** The rung a decision is served on: regional, or the edge rung its primary model is on. */
export const rungOf = (config: RouterConfig, decision: Pick<Decision, 'tier' | 'targets'>): Rung =>
  decision.tier === 'regional'
    ? 'regional'
    : largeModelIds(config).has(decision.targets[0].model.id)
      ? 'large'
      : 'fast';
