import { compactionMetricsOf } from '../compaction/compaction-metrics.ts';
import type { RouterMetrics } from '../metrics/router-metrics.ts';
import type { RequestRecord } from './request-record.ts';

export type LogEntry = Record<string, unknown>;
export type LogSink = (entry: LogEntry) => void;

const round = (ms: number | undefined): number | undefined =>
  ms === undefined ? undefined : Math.round(ms * 10) / 10;

/** The one log line of a request. Carries the key's id and tenant, never the key. */
export const logEntryOf = (record: RequestRecord, durationMs: number): LogEntry => {
  const failed = record.attempts.filter((a) => a.outcome !== 'ok');
  return {
    ts: new Date().toISOString(),
    level: record.outcome === 'transient' || record.status === 500 ? 'warn' : 'info',
    msg: 'request',
    request_id: record.requestId,
    method: record.method,
    path: record.path,
    status: record.status,
    mode: record.mode,
    tenant: record.tenant,
    key_id: record.keyId,
    workflow: record.workflow,
    stream: record.stream,
    tier: record.tier,
    provider: record.provider,
    model: record.model,
    backend: record.backend,
    reasons: record.reasons.length > 0 ? record.reasons.join(',') : undefined,
    outcome: record.outcome,
    error: record.errorCode,
    attempts: record.attempts.length > 0 ? record.attempts.length : undefined,
    failed_attempts:
      failed.length > 0
        ? failed.map(
            (a) =>
              `${a.provider}/${a.model}#${a.backend}:${a.outcome}${a.status ? `:${a.status}` : ''}`,
          )
        : undefined,
    ttft_ms: round(record.budgets?.ttftObservedMs()),
    duration_ms: round(durationMs),
    prompt_tokens: record.usage?.prompt_tokens,
    completion_tokens: record.usage?.completion_tokens,
    cached_tokens: record.usage?.prompt_tokens_details?.cached_tokens,
  };
};

/** Closes the books on a request: budgets released, metrics recorded, one log line written. */
export const finishRequest =
  (metrics: RouterMetrics, log: LogSink | undefined) =>
  (record: RequestRecord): void => {
    const durationMs = performance.now() - record.startedAt;
    const budgets = record.budgets;
    budgets?.dispose();
    if (record.chat) {
      metrics.recordRequest({
        workflow: record.workflow ?? 'default',
        tier: record.tier ?? 'none',
        provider: record.provider ?? 'none',
        model: record.model ?? '',
        tenant: record.tenant ?? 'unknown',
        outcome: record.outcome ?? 'transient',
        durationMs,
        ttftMs: budgets?.ttftObservedMs(),
        policyMs: budgets?.phaseMs('policy'),
        reasons: record.reasons,
        budgetsExceeded: record.outcome === 'client_closed' ? [] : (budgets?.exceeded() ?? []),
        usage: record.usage,
        price: record.price,
        toolDecisions: record.toolCalls?.map((call) => call.decision),
        attempts: record.attempts.length,
      });
      if (record.compaction !== undefined) {
        compactionMetricsOf(metrics.registry).record(
          record.workflow ?? 'default',
          record.compaction,
          record.price,
        );
      }
    }
    if (!log) return;
    // Fields left undefined stay: the JSON line omits them, and deleting keys one by one turns
    // the entry into a slow dictionary object on every request.
    log(logEntryOf(record, durationMs));
  };
