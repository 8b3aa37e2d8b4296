import {
  type AuditIntent,
  type AuditResponse,
  type AuditTool,
  type AuditToolCall,
  type AuditToolResult,
  asRouterError,
  type Budgets,
  type CompactionOutcome,
  compactionAudit,
  costUsd,
  ERROR_CLASS,
  type ModelConfig,
  type Outcome,
  type PolicyStep,
  type RequestAuditEvent,
  type Usage,
} from '@switchback/router-core';
import type { Served, Variables } from '../env.ts';
import type { StreamEnd } from '../serve/sse-response.ts';

/** What the audit event is read from: the request's `c.var`, its response and how it ended. */
export type AuditedRequest = Pick<Variables, 'requestId' | 'tenant' | 'keyId' | 'workflow'> & {
  /** The version of the config whose app served it (a canary's stable or candidate). */
  configVersion?: string;
  budgets: Budgets;
  decision?: Pick<Served, 'tier' | 'reasons'>;
  served?: Served;
  /** The served model's prices, for the cost. */
  price?: ModelConfig['price'];
  /** Tools offered and called, arguments already hashed (`auditTools`). */
  tools?: AuditTool[];
  status: number;
  /** The error `onError` answered with, if any. */
  error?: unknown;
  policyTrace?: PolicyStep[];
  intent?: AuditIntent;
  toolResults?: AuditToolResult[];
  toolCalls?: AuditToolCall[];
  response?: AuditResponse;
  /** A streamed answer's end. */
  end?: StreamEnd;
  /** Checkpoint compaction of an opted-in request. */
  compaction?: CompactionOutcome;
  clientClosed: boolean;
};

const round = (ms: number | undefined): number | undefined =>
  ms === undefined ? undefined : Math.round(ms * 10) / 10;

/** A refusal passed on from regional carries no thrown error: its status says the class. */
const outcomeOfStatus = (status: number): Outcome =>
  status < 400 ? 'ok' : status === 429 ? 'quota' : status < 500 ? 'deterministic' : 'transient';

const failureOf = (request: AuditedRequest): { outcome: Outcome; error?: string } => {
  const thrown = request.error ?? request.end?.error;
  if (request.clientClosed) {
    return thrown === undefined
      ? { outcome: 'client_closed' }
      : { outcome: 'client_closed', error: asRouterError(thrown).code };
  }
  if (thrown === undefined) return { outcome: outcomeOfStatus(request.status) };
  const { code } = asRouterError(thrown);
  // A stream that broke after its first token: the HTTP status was 200, the answer was not.
  return {
    outcome:
      request.end?.error === undefined
        ? ERROR_CLASS[code]
        : code === 'budget_exceeded'
          ? 'budget'
          : 'transient',
    error: code,
  };
};

const usageOf = (usage: Usage | undefined): RequestAuditEvent['usage'] =>
  usage && {
    prompt_tokens: usage.prompt_tokens,
    completion_tokens: usage.completion_tokens,
    cached_tokens: usage.prompt_tokens_details?.cached_tokens,
  };

/**
 * The audit event of one edge chat request: who asked, what was decided and what served it, its
 * timings, usage and how it ended. Nothing of the request's content: the log keeps no prompt.
 */
export const requestAuditEvent = (request: AuditedRequest): RequestAuditEvent => {
  const { served, budgets } = request;
  const decision = served ?? request.decision;
  const { outcome, error } = failureOf(request);
  const usage = request.end?.usage ?? served?.usage;
  return {
    type: 'request',
    ts: new Date().toISOString(),
    request_id: request.requestId,
    tenant: request.tenant.id,
    key_id: request.keyId,
    workflow: request.workflow,
    config_version: request.configVersion,
    decision: decision && { tier: decision.tier, reasons: [...decision.reasons] },
    provider: served?.provider,
    model: served?.model,
    model_version: served?.modelVersion,
    intent: request.intent,
    policy_trace: request.policyTrace,
    tools: request.tools,
    tool_calls: request.toolCalls,
    tool_results: request.toolResults,
    response: request.response,
    timings: {
      duration_ms: round(budgets.elapsedMs()) ?? 0,
      ttft_ms: round(budgets.ttftObservedMs()),
      policy_ms: round(budgets.phaseMs('policy')),
    },
    usage: usageOf(usage),
    cost_usd: usage && request.price ? costUsd(usage, request.price) : undefined,
    compaction: compactionAudit(request.compaction),
    gateway: served?.gateway,
    status: request.status,
    outcome,
    error,
  };
};
