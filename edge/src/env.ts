import type {
  AuditIntent,
  AuditResponse,
  AuditToolCall,
  AuditToolResult,
  Budgets,
  ChatCompletion,
  ChatCompletionRequest,
  Classification,
  CompactionOutcome,
  DecideInput,
  Decision,
  GatewayHop,
  GovernedAnswer,
  PolicyStep,
  PrefixHint,
  QuotaMeter,
  ReasonCode,
  TenantConfig,
  Tier,
  Usage,
} from '@switchback/router-core';
import type { StreamEnd } from './serve/sse-response.ts';

/** What answered a request, as the audit event keeps it (a degraded answer names the edge). */
export type Served = {
  tier: Tier;
  reasons: readonly ReasonCode[];
  provider?: string;
  model?: string;
  /** The model as the provider's answer names it (the answer's `model` field). */
  modelVersion?: string;
  /** A completion's usage; a stream's comes with its end. */
  usage?: Usage;
  /** The AI Gateway it went through (the binding tells no cache status: `unknown`). */
  gateway?: GatewayHop;
};

/** Values the middleware chain hands down, checked by Hono's `c.var`. */
export type Variables = {
  requestId: string;
  budgets: Budgets;
  tenant: TenantConfig;
  /** The id (never the value) of the API key that authenticated the request. */
  keyId: string;
  /** Request headers without the router's internal ones; the only headers read after policy. */
  headers: Headers;
  workflow: string | undefined;
  /** The exact body the client sent (signing, idempotency fingerprint). */
  rawBody: string;
  /** The validated request as the client sent it: classification reads this one. */
  body: ChatCompletionRequest;
  /** What providers are sent (regional too): `body` with PII redacted by policy. */
  upstream: ChatCompletionRequest;
  classification: Classification;
  decision: Decision;
  /** What `decision` was made from: serving re-decides from it when regional turns out down. */
  decideInput: DecideInput;
  /** Tenant-namespaced key sent as `x-session-affinity` upstream (session, else prefix hash). */
  affinityKey?: string;
  prefix?: PrefixHint;
  /** The request's quota draws (set by `quota`; none for a tenant class without quotas). */
  quota?: QuotaMeter;
  /** Meters a served request's actual usage against the tenant's quota (set by `quota`). */
  accountUsage?: (usage: Usage) => void;
  /** Checkpoint compaction of an opted-in request (set by `routing`). */
  compaction?: CompactionOutcome;
  /** Set by serving once an answer starts. */
  served?: Served;
  /** The policy checks run, in order, for the audit event (set by `audit`, filled by policy). */
  policyTrace: PolicyStep[];
  /** What the client asked for, without its words (set by `policy`). */
  intent?: AuditIntent;
  /** Results of earlier tool calls the request sends back (set by `policy`). */
  toolResults?: AuditToolResult[];
  /** The answer's tool calls as policy decided them, and its shape (set by `answerTools`). */
  toolCalls?: AuditToolCall[];
  response?: AuditResponse;
  /** Governs a streamed answer's tool calls once it has ended (set by `answerTools`). */
  governStream?: (completion: ChatCompletion) => Promise<GovernedAnswer>;
  /** Told how a streamed answer ended, once it has (set by `audit`). */
  streamEnded?: (end: StreamEnd) => void;
};

export type AppEnv = { Bindings: Env; Variables: Variables };
