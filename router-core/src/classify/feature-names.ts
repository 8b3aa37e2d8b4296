/** The classifier's features: each one's contribution to the complexity score is reported by name. */
export const FEATURE_NAMES = [
  'context',
  'reasoning',
  'code',
  'math',
  'multiStep',
  'tools',
  'sideEffects',
  'structuredOutput',
  'outputLength',
  'images',
  'language',
  'turns',
  'simpleTask',
  'brevity',
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];

/**
 * Default weights: a feature's value in [0, 1] times its weight is its contribution. Tuned on
 * `test/data/labelled-prompts.jsonl` with the example config's threshold of 0.5. `simpleTask` and
 * `brevity` are negative: "translate this", "summarise that" and very short asks pull a request
 * towards the edge.
 */
export const DEFAULT_WEIGHTS: Record<FeatureName, number> = {
  context: 0.6,
  reasoning: 0.7,
  code: 0.7,
  math: 0.7,
  multiStep: 0.5,
  tools: 0.6,
  sideEffects: 0.2,
  structuredOutput: 0.1,
  outputLength: 0.2,
  images: 0.3,
  language: 0.1,
  turns: 0.1,
  simpleTask: -0.2,
  brevity: -0.15,
};
