// The contract between router-core, regional and edge (function names, signatures, the edge→regional
// protocol) is written down in router-core/CONTRACT.md: read it before changing these types.
import type { RequestFeatures } from '../classify/request-features.ts';
import type { RiskFactor } from '../classify/risk.ts';
import type { ModelConfig, ProviderConfig } from '../config/schema.ts';
import type { ReasonCode } from './reason-codes.ts';
import type { ContextTier, RiskTier, Tier } from './tiers.ts';

/**
 * What can name the learned text model's verdict: a scanner cue family, or the ask's shape
 * (`chain`: short statements strung on one template, see `ask-shape.ts`).
 */
export type TextFamily = 'reasoning' | 'code' | 'math' | 'multiStep' | 'chain';

/** The learned text model's verdict on the ask. */
export type TextVerdictSummary = {
  /** Chance the ask is one a small model gets wrong (the `text` feature's value). */
  probability: number;
  /** The hashed n-grams' part of the logit, and the dense part (the scanner cues and the shape). */
  ngramLogit: number;
  denseLogit: number;
  /** The family that pushed the verdict up most, if one added a quarter logit or more. */
  family: TextFamily | undefined;
};

/** The classifier's verdict on one request. */
export type Classification = {
  /** Complexity in [0, 1]; at or above `classification.regionalThreshold` means regional. */
  score: number;
  /** Each feature's share of the score, for `explain`. */
  contributions: Record<string, number>;
  /**
   * The score with the context counted no further than the medium threshold: how hard the request
   * is, not how long. With an edge ladder it decides regional (length alone is the large rung's
   * job); absent (hand-built), `score` serves.
   */
  scoreWithoutLength?: number;
  estimatedTokens: number;
  risk: RiskTier;
  context: ContextTier;
  /** What raised the risk tier (empty for low); set by `classify`. */
  riskFactors?: RiskFactor[];
  /** The raw facts behind the score; set by `classify`, for `explain` and telemetry. */
  features?: RequestFeatures;
  /** The learned text model's verdict; set by `classify`. */
  text?: TextVerdictSummary;
};

/** One step of a route: a configured model on its provider. */
export type RouteTarget = {
  model: ModelConfig;
  provider: ProviderConfig;
};

/** What the router will do with a request, and why. */
export type Decision = {
  tier: Tier;
  /** Primary first, then the fallback chain. Never empty. */
  targets: readonly [RouteTarget, ...RouteTarget[]];
  reasons: ReasonCode[];
  /** Whether the risk policy lets this request be served by the edge tier if regional is down. */
  degradable: boolean;
};

/** What the session store remembers between turns. */
export type SessionState = {
  /** Tier the session is pinned to, and for how many more turns. */
  stickyTier?: Tier;
  stickyTurnsLeft: number;
  turns: number;
  lastPrefixKey?: string;
};
