import type {
  AuditIntent,
  AuditResponse,
  AuditToolCall,
  AuditToolResult,
  Budgets,
  CompactionOutcome,
  GatewayHop,
  ModelConfig,
  Outcome,
  PolicyStep,
  QuotaMeter,
  ReasonCode,
  Tier,
  Usage,
} from '@switchback/router-core';
import type { IdempotencyTicket } from '../idempotency/idempotency-ticket.ts';
import type { AttemptRecord } from '../resilience/provider-runner.ts';

/**
 * What one request did, filled in as it goes: response headers, the log line and the metrics are
 * all read from here, so they cannot disagree.
 */
export type RequestRecord = {
  requestId: string;
  method: string;
  path: string;
  /** `performance.now()` at arrival. */
  startedAt: number;
  /** Chat requests are measured; `/healthz` and `/metrics` only logged. */
  chat: boolean;
  mode?: 'front-door' | 'escalated';
  tenant?: string;
  keyId?: string;
  workflow?: string;
  stream?: boolean;
  tier?: Tier;
  provider?: string;
  model?: string;
  /** The model as the provider's answer names it (its `model` field, Bedrock's model id). */
  modelVersion?: string;
  price?: ModelConfig['price'];
  backend?: string;
  reasons: ReasonCode[];
  /** The policy checks run, in order (for the audit event). */
  policyTrace: PolicyStep[];
  /** Tools the request offered and called (arguments as sent; the audit event hashes them). */
  tools?: { name: string; arguments?: string }[];
  /** What the client asked for and what it got, without their words (audit event). */
  intent?: AuditIntent;
  response?: AuditResponse;
  /** The tool calls of the answer, as policy decided them (allowed, denied, held). */
  toolCalls?: AuditToolCall[];
  /** The results of earlier calls the request sends back (success or error, size). */
  toolResults?: AuditToolResult[];
  attempts: AttemptRecord[];
  budgets?: Budgets;
  /** The request's `idempotency-key`, for its admission to claim (front door, non-streamed). */
  idempotency?: IdempotencyTicket;
  /** The request's quota draws, for `x-ratelimit-*` (front door, tenant classes with quotas). */
  quota?: Pick<QuotaMeter, 'snapshot'> | undefined;
  usage?: Usage;
  /** Checkpoint compaction of an opted-in request (header, audit event, metrics). */
  compaction?: CompactionOutcome;
  status?: number;
  outcome?: Outcome;
  errorCode?: string;
  /** Set by a streamed answer: settles when its body has ended. */
  streamEnded?: Promise<void>;
};

/** The AI Gateway the answer came through (its attempt that succeeded), and its cache status. */
export const servedGateway = (record: Pick<RequestRecord, 'attempts'>): GatewayHop | undefined =>
  record.attempts.findLast((attempt) => attempt.outcome === 'ok')?.gateway;

export const newRequestRecord = (
  requestId: string,
  method: string,
  path: string,
): RequestRecord => ({
  requestId,
  method,
  path,
  startedAt: performance.now(),
  chat: false,
  reasons: [],
  policyTrace: [],
  attempts: [],
});
