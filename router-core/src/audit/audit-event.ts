import type { GatewayHop } from '../provider/gateway-cache.ts';
import type { ReasonCode } from '../routing/reason-codes.ts';
import type { Tier } from '../routing/tiers.ts';
import type { AuditIntent, AuditResponse } from './audit-summary.ts';

/** One step of the policy checks a request went through, in order. */
export type PolicyStep = {
  check: string;
  result: 'pass' | 'deny' | 'redact' | 'skip';
  detail?: string;
};

/** A tool the request offered or called; arguments are kept only as their SHA-256. */
export type AuditTool = { name: string; args_sha256?: string };

/** A tool call the model asked for in its answer, and what policy made of it (by which rule). */
export type AuditToolCall = {
  name: string;
  args_sha256: string;
  call_id?: string;
  decision: 'allowed' | 'denied' | 'held';
  rule: string;
};

/** The result a client sent back, on the next turn, for an earlier tool call. */
export type AuditToolResult = {
  call_id: string;
  name?: string;
  outcome: 'success' | 'error';
  bytes: number;
};

/**
 * Checkpoint compaction of an opted-in request: what went upstream (`applied`: the summary of the
 * first `covered_turns` turns, the checkpoint `sha256`; `whole` and why), and the checkpoint this
 * request made, if it made one.
 */
export type AuditCompaction = {
  result: 'applied' | 'whole';
  reason?: string;
  covered_turns?: number;
  saved_tokens?: number;
  sha256?: string;
  checkpoint?: { sha256: string; covered_turns: number; covered_messages: number; model: string };
  failure?: string;
};

/** What one chat request did, as the audit log keeps it. */
export type RequestAuditEvent = {
  type: 'request';
  ts: string;
  request_id: string;
  tenant?: string;
  key_id?: string;
  workflow?: string;
  /** The version of the config that decided it (during a canary: the stable's or the candidate's). */
  config_version?: string;
  decision?: { tier?: Tier; reasons: ReasonCode[] };
  provider?: string;
  model?: string;
  model_version?: string;
  policy_trace?: PolicyStep[];
  tools?: AuditTool[];
  intent?: AuditIntent;
  response?: AuditResponse;
  tool_calls?: AuditToolCall[];
  tool_results?: AuditToolResult[];
  /** Upstream attempts (more than one: retried or failed over before the first byte). */
  attempts?: number;
  timings?: { duration_ms: number; ttft_ms?: number; policy_ms?: number };
  usage?: { prompt_tokens: number; completion_tokens: number; cached_tokens?: number };
  cost_usd?: number;
  compaction?: AuditCompaction;
  /** The AI Gateway the answer came through, and its cache status (`cf-aig-cache-status`). */
  gateway?: GatewayHop;
  status?: number;
  outcome: string;
  error?: string;
};

/** A configuration change and who made it. */
export type ConfigChangeAuditEvent = {
  type: 'config_change';
  ts: string;
  operator: string;
  action: string;
  from_sha256?: string;
  to_sha256?: string;
  summary?: string;
};

/** An operator's approval of a held side-effect tool call (the credential's operator id). */
export type ApprovalAuditEvent = {
  type: 'approval';
  ts: string;
  operator: string;
  tenant: string;
  /** The request whose answer carried the held call. */
  request_id: string;
  call_id: string;
  tool: string;
  args_sha256: string;
};

/** What an operator forced, by hand, past the router's own decision. */
export const OVERRIDE_ACTIONS = [
  'force_tier',
  'force_model',
  'lift_quota',
  'reset_breaker',
] as const;

/** An operator forcing a tier or a model, lifting a quota or resetting a breaker. */
export type OverrideAuditEvent = {
  type: 'override';
  ts: string;
  operator: string;
  action: (typeof OVERRIDE_ACTIONS)[number];
  /** What it applies to: a tier, a model id, a quota class, a provider/model breaker. */
  target: string;
  tenant?: string;
  request_id?: string;
  reason?: string;
  /** When a forced tier or model lapses. */
  expires_at?: string;
};

/** The rollout gate's verdict on a canary candidate, with the figures that made it. */
export type RolloutDecisionAuditEvent = {
  type: 'rollout_decision';
  ts: string;
  /** Who carried it out (`switchback rollout watch`'s operator credential); none: the door's own gate. */
  operator?: string;
  decision: 'promote' | 'rollback' | 'hold';
  stable_version: string;
  candidate_version: string;
  window: { from: string; to: string };
  figures: Record<'stable' | 'candidate', RolloutSideFigures>;
  /** Each threshold crossed (rollback), or why it held or promoted. */
  reasons: string[];
};

/** One side of a canary over the gate's window. */
export type RolloutSideFigures = {
  requests: number;
  errors: number;
  /** Transient and budget errors over the availability budget (1: spent as fast as it refills). */
  burn_rate: number;
  ttft_p95_ms: number | null;
  cost_usd: number;
  successes: number;
  cost_per_success_usd: number | null;
};

export type AuditEvent =
  | RequestAuditEvent
  | ConfigChangeAuditEvent
  | ApprovalAuditEvent
  | OverrideAuditEvent
  | RolloutDecisionAuditEvent;

/**
 * An event as written: its place in the chain, the hash of the line before and its HMAC. `chain`
 * names the chain in a log that holds several (regional: one per tenant, see `auditChainOf`); a
 * line without it belongs to the log's one chain (the edge's per-tenant files, older logs).
 */
export type SignedAuditEvent = {
  chain?: string;
  seq: number;
  prev: string;
  event: AuditEvent;
  sig: string;
};

/** `prev` of the first event of a log. */
export const AUDIT_GENESIS = '0'.repeat(64);

/**
 * The chain of events that name no tenant (config changes, rollout decisions, requests refused
 * before their key was known). No tenant id can take this name: ids start with a letter or digit.
 */
export const NO_TENANT_CHAIN = '-';

/** The chain an event belongs to in a log of one chain per tenant: its tenant, else `-`. */
export const auditChainOf = (event: AuditEvent): string =>
  ('tenant' in event ? event.tenant : undefined) || NO_TENANT_CHAIN;

/** How a chain is named to a person: `tenant acme`, or `no tenant`. */
export const auditChainLabel = (chain: string): string =>
  chain === NO_TENANT_CHAIN ? 'no tenant' : `tenant ${chain}`;

/** Where a chain stands: the last `seq` written and its link hash (the next line's `prev`). */
export type AuditHead = { seq: number; hash: string };

/** Where signed events go, one JSON line each. Writes arrive in chain order. */
export interface AuditSink {
  write(line: string): void | Promise<void>;
  /** Resolves once everything written so far is stored. */
  flush?(): Promise<void>;
}
