/** One sample of the Prometheus text exposition format. */
export type Sample = { name: string; labels: Record<string, string>; value: number };

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

const unescapeLabel = (value: string) =>
  value.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));

const number = (text: string): number =>
  text === '+Inf'
    ? Number.POSITIVE_INFINITY
    : text === '-Inf'
      ? Number.NEGATIVE_INFINITY
      : Number(text);

/** The samples of a Prometheus text exposition (`/metrics`, or a server's `/federate`). */
export const parsePrometheusText = (text: string): Sample[] => {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(LABEL)) {
      if (key !== undefined && value !== undefined) labels[key] = unescapeLabel(value);
    }
    samples.push({ name: match[1] ?? '', labels, value: number(match[3] ?? '') });
  }
  return samples;
};

/** Sums the samples named `name` by the given labels (joined with NUL) after filtering. */
export const sumBy = (
  samples: readonly Sample[],
  name: string,
  by: readonly string[],
  where: (labels: Record<string, string>) => boolean = () => true,
): Map<string, number> => {
  const sums = new Map<string, number>();
  for (const s of samples) {
    if (s.name !== name || !where(s.labels)) continue;
    const key = by.map((l) => s.labels[l] ?? '').join('\u0000');
    sums.set(key, (sums.get(key) ?? 0) + s.value);
  }
  return sums;
};

/**
 * A quantile from cumulative histogram buckets, interpolated linearly within the bucket as
 * PromQL's `histogram_quantile` does (the +Inf bucket answers its lower bound).
 */
export const histogramQuantile = (q: number, buckets: readonly { le: number; count: number }[]) => {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const total = sorted.at(-1)?.count ?? 0;
  if (total === 0) return 0;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const bucket of sorted) {
    if (bucket.count >= rank) {
      if (bucket.le === Number.POSITIVE_INFINITY) return lower;
      const inBucket = bucket.count - below;
      return inBucket === 0 ? bucket.le : lower + ((bucket.le - lower) * (rank - below)) / inBucket;
    }
    lower = bucket.le;
    below = bucket.count;
  }
  return lower;
};
