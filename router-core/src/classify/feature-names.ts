/** The classifier's features: each one's contribution to the complexity score is reported by name. */
export const FEATURE_NAMES = [
  'text',
  'context',
  'tools',
  'sideEffects',
  'structuredOutput',
  'outputLength',
  'images',
  'turns',
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];

/**
 * Default weights: a feature's value in [0, 1] times its weight is its contribution. `text` is the
 * learned model's probability that the ask is one a small model gets wrong (trained on public
 * corpora, see `router-core/data/SOURCES.md`); the rest are the request's shape, which no public
 * prompt corpus labels, so their weights are set by hand and add to the text's verdict.
 */
export const DEFAULT_WEIGHTS: Record<FeatureName, number> = {
  text: 1,
  context: 0.6,
  tools: 0.6,
  sideEffects: 0.2,
  structuredOutput: 0.1,
  outputLength: 0.2,
  images: 0.3,
  turns: 0.1,
};
