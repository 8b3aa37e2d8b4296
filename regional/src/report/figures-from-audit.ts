import type { RequestAuditEvent, SignedAuditEvent } from '@switchback/router-core';
import {
  burnRows,
  type CacheRow,
  type LatencyRow,
  nearestRank,
  type ReportFigures,
} from './report-figures.ts';

/** The request events of an audit log's lines (blank lines and other event types skipped). */
export const requestEvents = (lines: readonly string[]): RequestAuditEvent[] => {
  const events: RequestAuditEvent[] = [];
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    let signed: SignedAuditEvent;
    try {
      signed = JSON.parse(line) as SignedAuditEvent;
    } catch {
      throw new Error(`line ${i + 1} is not JSON`);
    }
    if (signed.event?.type === 'request') events.push(signed.event);
  }
  return events;
};

const grouped = <K extends string, V>(
  events: readonly RequestAuditEvent[],
  key: (event: RequestAuditEvent) => K | undefined,
  value: (event: RequestAuditEvent) => V | undefined,
): Map<K, V[]> => {
  const groups = new Map<K, V[]>();
  for (const event of events) {
    const k = key(event);
    const v = value(event);
    if (k === undefined || v === undefined) continue;
    const list = groups.get(k) ?? [];
    list.push(v);
    groups.set(k, list);
  }
  return new Map([...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
};

const latencyRows = (events: readonly RequestAuditEvent[]): LatencyRow[] =>
  [
    ...grouped(
      events,
      (e) => (e.decision?.tier ? `${e.workflow ?? 'default'}\u0000${e.decision.tier}` : undefined),
      (e) => e.timings?.duration_ms,
    ),
  ].map(([key, durations]) => {
    const [workflow = '', tier = ''] = key.split('\u0000');
    const sorted = durations.sort((a, b) => a - b);
    return {
      workflow,
      tier,
      count: sorted.length,
      p50Ms: nearestRank(sorted, 0.5),
      p95Ms: nearestRank(sorted, 0.95),
    };
  });

const cacheRows = (events: readonly RequestAuditEvent[]): CacheRow[] =>
  [
    ...grouped(
      events,
      (e) => `${e.tenant ?? '-'}/${e.workflow ?? 'default'}`,
      (e) => e.usage,
    ),
  ].map(([family, usages]) => ({
    family,
    promptTokens: usages.reduce((sum, u) => sum + u.prompt_tokens, 0),
    cachedTokens: usages.reduce((sum, u) => sum + (u.cached_tokens ?? 0), 0),
  }));

/** The report's figures from the lines of an archived audit log. */
export const figuresFromAudit = (source: string, lines: readonly string[]): ReportFigures => {
  const events = requestEvents(lines);
  const stamps = events.map((e) => e.ts).sort();
  const calls = events.flatMap((e) => e.tool_calls ?? []);
  const retried = events.filter((e) => (e.attempts ?? 0) > 1);
  const ok = events.filter((e) => e.outcome === 'ok');
  return {
    source,
    ...(stamps.length > 0 ? { window: { from: stamps[0] ?? '', to: stamps.at(-1) ?? '' } } : {}),
    requests: events.length,
    latency: latencyRows(events),
    cacheHit: cacheRows(events),
    toolCallsDenied: {
      part: calls.filter((c) => c.decision === 'denied').length,
      whole: calls.length,
    },
    retriesSucceeded: {
      part: retried.filter((e) => e.outcome === 'ok').length,
      whole: retried.length,
    },
    cost: {
      totalUsd: events.reduce((sum, e) => sum + (e.cost_usd ?? 0), 0),
      successes: ok.length,
      successBasis: 'ok requests',
      tokens: events.reduce(
        (sum, e) => sum + (e.usage ? e.usage.prompt_tokens + e.usage.completion_tokens : 0),
        0,
      ),
    },
    burn: burnRows((outcome) => events.filter((e) => e.outcome === outcome).length, events.length),
  };
};
