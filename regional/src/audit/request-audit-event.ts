import {
  auditToolsWith,
  compactionAudit,
  costUsd,
  type RequestAuditEvent,
} from '@switchback/router-core';
import { sha256HexSync } from '../crypto/sha256-hex.ts';
import { type RequestRecord, servedGateway } from '../http/request-record.ts';

const round = (ms: number | undefined): number | undefined =>
  ms === undefined ? undefined : Math.round(ms * 10) / 10;

/**
 * The audit event of a finished chat request, read from its record (as the log line is).
 * Synchronous, so events reach the log in the order their requests finished.
 */
export const requestAuditEvent = (record: RequestRecord, durationMs: number): RequestAuditEvent => {
  const { usage, budgets } = record;
  const policyMs = budgets?.phaseMs('policy');
  return {
    type: 'request',
    ts: new Date().toISOString(),
    request_id: record.requestId,
    tenant: record.tenant,
    key_id: record.keyId,
    workflow: record.workflow,
    decision: { tier: record.tier, reasons: [...record.reasons] },
    provider: record.provider,
    model: record.model,
    model_version: record.modelVersion,
    policy_trace: record.policyTrace,
    tools: record.tools ? auditToolsWith(record.tools, sha256HexSync) : undefined,
    intent: record.intent,
    response: record.response,
    tool_calls: record.toolCalls,
    tool_results: record.toolResults,
    attempts: record.attempts.length > 0 ? record.attempts.length : undefined,
    timings: {
      duration_ms: round(durationMs) ?? 0,
      ttft_ms: round(budgets?.ttftObservedMs()),
      policy_ms: round(policyMs),
    },
    usage: usage && {
      prompt_tokens: usage.prompt_tokens,
      completion_tokens: usage.completion_tokens,
      cached_tokens: usage.prompt_tokens_details?.cached_tokens,
    },
    cost_usd: usage && record.price ? costUsd(usage, record.price) : undefined,
    compaction: compactionAudit(record.compaction),
    gateway: servedGateway(record),
    status: record.status,
    outcome: record.outcome ?? 'unknown',
    error: record.errorCode,
  };
};
