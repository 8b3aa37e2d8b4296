/** The parts of k6's `handleSummary` data the report reads. */
export type K6Metric = {
  type: 'trend' | 'rate' | 'counter' | 'gauge';
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
};
export type K6Summary = { metrics: Record<string, K6Metric> };

export type SloResult = { metric: string; threshold: string; observed: string; ok: boolean };

const observedFor = (metric: K6Metric, threshold: string): string => {
  const stat = /^([a-z]+(?:\([0-9.]+\))?)/.exec(threshold)?.[1] ?? '';
  const value = metric.values[stat];
  if (value === undefined) return 'n/a';
  return metric.type === 'rate' ? `${(value * 100).toFixed(3)} %` : `${value.toFixed(2)} ms`;
};

/** Every threshold with what was observed and whether it held. */
export const sloResults = (summary: K6Summary): SloResult[] =>
  Object.entries(summary.metrics)
    .flatMap(([name, metric]) =>
      Object.entries(metric.thresholds ?? {}).map(([threshold, { ok }]) => ({
        metric: name,
        threshold,
        observed: observedFor(metric, threshold),
        ok,
      })),
    )
    .sort((a, b) => a.metric.localeCompare(b.metric));
