import type {
  Budgets,
  ChatCompletionRequest,
  Classification,
  DecideInput,
  Decision,
  PrefixHint,
  TenantConfig,
  Usage,
} from '@switchback/router-core';

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
  /** The validated request, after policy (PII redaction) ran. */
  body: ChatCompletionRequest;
  classification: Classification;
  decision: Decision;
  /** What `decision` was made from: serving re-decides from it when regional turns out down. */
  decideInput: DecideInput;
  /** Tenant-namespaced key sent as `x-session-affinity` upstream (session, else prefix hash). */
  affinityKey?: string;
  prefix?: PrefixHint;
  /** Meters a served request's actual usage against the tenant's quota (set by `quota`). */
  accountUsage?: (usage: Usage) => void;
};

export type AppEnv = { Bindings: Env; Variables: Variables };
