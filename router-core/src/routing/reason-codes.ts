/** Why a request went where it went; sent comma-separated in `x-router-reasons`. */
export const REASON_CODES = [
  'simple_prompt',
  'complex_prompt',
  'long_context',
  'exceeds_edge_context',
  'tools_requested',
  'side_effect_tools',
  'structured_output',
  'images',
  'explicit_model',
  'explicit_tier',
  'tenant_edge_only',
  'tenant_regional_only',
  'sticky_session',
  'regional_unavailable_degraded',
  'fallback',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];
