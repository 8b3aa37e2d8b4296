/** Where a request is served. */
export const TIERS = ['edge', 'regional'] as const;
export type Tier = (typeof TIERS)[number];

/** How much harm a wrong or degraded answer could do. */
export const RISK_TIERS = ['low', 'medium', 'high'] as const;
export type RiskTier = (typeof RISK_TIERS)[number];

/** How long the prompt is, by the thresholds in config. */
export const CONTEXT_TIERS = ['short', 'medium', 'long'] as const;
export type ContextTier = (typeof CONTEXT_TIERS)[number];

/** The rungs of the edge ladder: the fast models, then the large ones (`routes.edge.models[].use`). */
export const EDGE_RUNGS = ['fast', 'large'] as const;
export type EdgeRung = (typeof EDGE_RUNGS)[number];

/** Where a request is served, three ways: an edge rung or regional (simulate's shares). */
export const RUNGS = ['fast', 'large', 'regional'] as const;
export type Rung = (typeof RUNGS)[number];
