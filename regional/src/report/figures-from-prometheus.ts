import { histogramQuantile, parsePrometheusText, type Sample, sumBy } from './prometheus-text.ts';
import { burnRows, type LatencyRow, type ReportFigures } from './report-figures.ts';

const total = (sums: Map<string, number>) => [...sums.values()].reduce((a, b) => a + b, 0);
const SEP = '\u0000';

const latencyRows = (samples: readonly Sample[]): LatencyRow[] => {
  const buckets = sumBy(samples, 'router_request_duration_seconds_bucket', [
    'workflow',
    'tier',
    'le',
  ]);
  const byRoute = new Map<string, { le: number; count: number }[]>();
  for (const [key, count] of buckets) {
    const [workflow = '', tier = '', le = ''] = key.split(SEP);
    const list = byRoute.get(`${workflow}${SEP}${tier}`) ?? [];
    list.push({ le: le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le), count });
    byRoute.set(`${workflow}${SEP}${tier}`, list);
  }
  return (
    [...byRoute]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, list]) => {
        const [workflow = '', tier = ''] = key.split(SEP);
        return {
          workflow,
          tier,
          count: Math.max(...list.map((b) => b.count)),
          p50Ms: histogramQuantile(0.5, list) * 1000,
          p95Ms: histogramQuantile(0.95, list) * 1000,
        };
      })
      // Tier `none`: refused before routing, as the audit log's events without a tier.
      .filter((row) => row.count > 0 && row.tier !== 'none')
  );
};

/**
 * The report's figures from a Prometheus text exposition: regional's `/metrics`, or a
 * Prometheus server's `/federate?match[]={__name__=~"router_.+"}` (totals since each counter
 * started).
 */
export const figuresFromPrometheus = (source: string, text: string): ReportFigures => {
  const samples = parsePrometheusText(text);
  const prompt = sumBy(samples, 'router_prompt_tokens_total', ['family']);
  const cached = sumBy(samples, 'router_cached_tokens_total', ['family']);
  const reported = total(
    sumBy(samples, 'router_outcomes_total', [], (l) => l.outcome === 'success'),
  );
  const byOutcome = sumBy(samples, 'router_requests_total', ['outcome']);
  const okRequests = byOutcome.get('ok') ?? 0;
  return {
    source,
    requests: total(byOutcome),
    latency: latencyRows(samples),
    cacheHit: [...prompt]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([family, promptTokens]) => ({
        family,
        promptTokens,
        cachedTokens: cached.get(family) ?? 0,
      })),
    toolCallsDenied: {
      part: total(sumBy(samples, 'router_tool_calls_total', [], (l) => l.decision === 'denied')),
      whole: total(sumBy(samples, 'router_tool_calls_total', [])),
    },
    retriesSucceeded: {
      part: total(sumBy(samples, 'router_retried_requests_total', [], (l) => l.outcome === 'ok')),
      whole: total(sumBy(samples, 'router_retried_requests_total', [])),
    },
    cost: {
      totalUsd: total(sumBy(samples, 'router_cost_usd_total', [])),
      successes: reported > 0 ? reported : okRequests,
      successBasis: reported > 0 ? 'reported outcomes' : 'ok requests',
      tokens: total(prompt) + total(sumBy(samples, 'router_completion_tokens_total', [])),
    },
    burn: burnRows((outcome) => byOutcome.get(outcome) ?? 0, total(byOutcome)),
  };
};
