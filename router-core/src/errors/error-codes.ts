/** Every error the router can answer with. Adding a code fails to compile until both tables know it. */
export const ROUTER_ERROR_CODES = [
  'invalid_request',
  'invalid_api_key',
  'not_found',
  'policy_denied',
  'unknown_model',
  'conflict',
  'payload_too_large',
  'quota_exceeded',
  'upstream_unavailable',
  'upstream_error',
  'budget_exceeded',
  'internal_error',
] as const;

export type RouterErrorCode = (typeof ROUTER_ERROR_CODES)[number];

/** HTTP status per code. */
export const ERROR_STATUS: Record<RouterErrorCode, number> = {
  invalid_request: 400,
  invalid_api_key: 401,
  not_found: 404,
  policy_denied: 403,
  unknown_model: 400,
  conflict: 409,
  payload_too_large: 413,
  quota_exceeded: 429,
  upstream_unavailable: 503,
  upstream_error: 502,
  budget_exceeded: 504,
  internal_error: 500,
};

/** OpenAI's envelope `type` per code: what an SDK's error class keys on. */
export const ERROR_TYPE: Record<RouterErrorCode, string> = {
  invalid_request: 'invalid_request_error',
  invalid_api_key: 'invalid_request_error',
  not_found: 'invalid_request_error',
  policy_denied: 'invalid_request_error',
  unknown_model: 'invalid_request_error',
  conflict: 'invalid_request_error',
  payload_too_large: 'invalid_request_error',
  quota_exceeded: 'rate_limit_error',
  upstream_unavailable: 'server_error',
  upstream_error: 'server_error',
  budget_exceeded: 'server_error',
  internal_error: 'server_error',
};

/** The wire `code` per router code (OpenAI's names where OpenAI has one). */
export const ERROR_WIRE_CODE: Record<RouterErrorCode, string> = {
  invalid_request: 'invalid_request_error',
  invalid_api_key: 'invalid_api_key',
  not_found: 'not_found',
  policy_denied: 'policy_denied',
  unknown_model: 'model_not_found',
  conflict: 'idempotency_conflict',
  payload_too_large: 'payload_too_large',
  quota_exceeded: 'quota_exceeded',
  upstream_unavailable: 'upstream_unavailable',
  upstream_error: 'upstream_error',
  budget_exceeded: 'budget_exceeded',
  internal_error: 'internal_error',
};

/** Error classes that error budgets count apart: a policy rejection never burns availability. */
export const ERROR_CLASS: Record<
  RouterErrorCode,
  'deterministic' | 'quota' | 'transient' | 'budget'
> = {
  invalid_request: 'deterministic',
  invalid_api_key: 'deterministic',
  not_found: 'deterministic',
  policy_denied: 'deterministic',
  unknown_model: 'deterministic',
  conflict: 'deterministic',
  payload_too_large: 'deterministic',
  quota_exceeded: 'quota',
  upstream_unavailable: 'transient',
  upstream_error: 'transient',
  budget_exceeded: 'budget',
  internal_error: 'transient',
};

/**
 * How a request ended, for SLOs and audit events: `ok`, one of the error classes above, or the
 * client closed it first.
 */
export const OUTCOMES = [
  'ok',
  'deterministic',
  'quota',
  'transient',
  'budget',
  'client_closed',
] as const;
export type Outcome = (typeof OUTCOMES)[number];
