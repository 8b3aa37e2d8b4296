/** The simulated providers; faults, stats and the prefix cache are keyed by these. */
export const TARGETS = ['openai', 'compat', 'workers-ai', 'bedrock'] as const;
export type Target = (typeof TARGETS)[number];

export const isTarget = (value: unknown): value is Target =>
  typeof value === 'string' && (TARGETS as readonly string[]).includes(value);
