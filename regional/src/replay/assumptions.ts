import type { Tier } from '@switchback/router-core';

/**
 * What the offline replay assumes where recorded traffic says nothing. Printed with every
 * report so a reader knows what the figures rest on.
 */
export const ASSUMPTIONS = {
  /** Completion tokens of a reply when the request sets no lower `max_tokens`. */
  completionTokens: 300,
  /** Time to first token: a fixed overhead plus prefill at this many prompt tokens a second. */
  latency: {
    edge: { overheadMs: 150, prefillTokensPerSecond: 3_000, decodeTokensPerSecond: 80 },
    regional: { overheadMs: 400, prefillTokensPerSecond: 5_000, decodeTokensPerSecond: 60 },
  } satisfies Record<
    Tier,
    { overheadMs: number; prefillTokensPerSecond: number; decodeTokensPerSecond: number }
  >,
} as const;

/** Completion tokens assumed for a request that caps itself at `maxTokens` (or not). */
export const assumedCompletionTokens = (maxTokens: number | undefined): number =>
  Math.min(maxTokens ?? ASSUMPTIONS.completionTokens, ASSUMPTIONS.completionTokens);

/** Predicted time to first token and end to end of a request on a tier, in ms. */
export const predictedTimes = (
  tier: Tier,
  promptTokens: number,
  completionTokens: number,
): { ttftMs: number; totalMs: number } => {
  const rate = ASSUMPTIONS.latency[tier];
  const ttftMs = rate.overheadMs + (promptTokens / rate.prefillTokensPerSecond) * 1_000;
  return { ttftMs, totalMs: ttftMs + (completionTokens / rate.decodeTokensPerSecond) * 1_000 };
};

export const describeAssumptions = (): string[] => {
  const { edge, regional } = ASSUMPTIONS.latency;
  return [
    `completion length: ${ASSUMPTIONS.completionTokens} tokens (or max_tokens when lower); prompt tokens: the classifier's estimate; price: the primary model's`,
    `budget risk: predicted TTFT = overhead + prompt / prefill rate, total = TTFT + completion / decode rate (edge ${edge.overheadMs} ms + ${edge.prefillTokensPerSecond} tok/s prefill, ${edge.decodeTokensPerSecond} tok/s decode; regional ${regional.overheadMs} ms + ${regional.prefillTokensPerSecond} tok/s, ${regional.decodeTokensPerSecond} tok/s), compared with the workflow's ttftMs and totalMs`,
    "compaction: a checkpointed session's checkpoint is in place (the last everyTurns made, or one of all but keepTurns turns past aboveTokens), its summary summaryMaxTokens long; the summarizer's own calls are not priced",
  ];
};
