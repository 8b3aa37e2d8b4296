/** Distribution of one measured quantity, in milliseconds. */
export type Summary = {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
};

/** Nearest-rank percentile of an ascending array (`p` in 0..1); NaN when empty. */
export const percentile = (sorted: readonly number[], p: number): number => {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1] ?? Number.NaN;
};

/** Summarises microsecond samples as milliseconds. */
export const summarize = (samplesUs: readonly number[]): Summary => {
  const sorted = Float64Array.from(samplesUs).sort();
  const ms = (us: number) => us / 1000;
  let total = 0;
  for (const v of sorted) total += v;
  const arr = Array.from(sorted);
  return {
    count: arr.length,
    mean: arr.length === 0 ? Number.NaN : ms(total / arr.length),
    p50: ms(percentile(arr, 0.5)),
    p90: ms(percentile(arr, 0.9)),
    p99: ms(percentile(arr, 0.99)),
    p999: ms(percentile(arr, 0.999)),
    max: ms(arr.at(-1) ?? Number.NaN),
  };
};

/** `a − b`, or NaN when either side is missing. */
export const added = (a: number | undefined, b: number | undefined): number =>
  a === undefined || b === undefined ? Number.NaN : a - b;
