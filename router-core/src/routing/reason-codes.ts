/** Why a request went where it went; sent comma-separated in `x-router-reasons`. */
export const REASON_CODES = [
  // The verdict of the complexity score (auto routing).
  'simple_prompt',
  'complex_prompt',
  // Features that drove a complex verdict (the largest contributions).
  'long_context',
  // The learned text model judged the ask hard, no single cue family standing out.
  'hard_wording',
  'reasoning_task',
  'code_task',
  'math_task',
  'multi_step',
  // The learned model judged it hard most for its shape: short statements on one template.
  'chained_statements',
  'tools_requested',
  'structured_output',
  'long_output',
  'long_conversation',
  // The edge ladder: the large edge model serves it (with `medium_complexity` or `long_context`
  // saying why) instead of escalating; only hard or high-risk requests go regional.
  'edge_large',
  'medium_complexity',
  // The prompt went upstream checkpointed: [system, summary, last turns] (see `x-router-compaction`).
  'compacted',
  // Hard constraints and policy.
  'exceeds_edge_context',
  'images',
  'side_effect_tools',
  'pii_detected',
  'sensitive_tenant',
  'high_risk',
  'explicit_model',
  'explicit_tier',
  'tenant_edge_only',
  'tenant_regional_only',
  'sticky_session',
  // An operator forced the tenant's tier or model (`POST /ops/overrides`), until it lapses.
  'override',
  'regional_unavailable_degraded',
  // Set by the serving tier when a fallback target answered instead of the primary.
  'fallback',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

/** The reasons plus `fallback` (once): for a response a fallback target served. */
export const withFallbackReason = (reasons: readonly ReasonCode[]): ReasonCode[] =>
  reasons.includes('fallback') ? [...reasons] : [...reasons, 'fallback'];

/** The `x-router-reasons` header value. */
export const formatReasons = (reasons: readonly ReasonCode[]): string => reasons.join(',');
