import { configuredWorkflows, type RouterConfig, RouterError } from '@switchback/router-core';
import type { Handler } from 'hono';
import { createNonceCache } from '../../auth/nonce-cache.ts';
import type { RouterMetrics } from '../../metrics/router-metrics.ts';
import type { AppEnv } from '../app-env.ts';
import { readBodyText } from '../read-body.ts';

export const BUSINESS_OUTCOMES = ['success', 'failure'] as const;
export type BusinessOutcome = (typeof BUSINESS_OUTCOMES)[number];

/** What a client reports about a task the router served: `POST /v1/outcomes`. */
export type OutcomeReport = {
  request_id?: string;
  session?: string;
  workflow: string;
  outcome: BusinessOutcome;
};

const MAX_BODY_BYTES = 4_096;
const BODY_TIMEOUT_MS = 5_000;
// A report repeated within a day (a client retrying) is counted once.
const DEDUPE_TTL_MS = 24 * 60 * 60 * 1_000;
const FIELDS = new Set(['request_id', 'session', 'workflow', 'outcome']);

const invalid = (message: string, param?: string): RouterError =>
  new RouterError('invalid_request', `Invalid outcome: ${message}`, { param });

const optionalId = (value: unknown, name: string): string | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > 256)
    throw invalid(`${name} must be a string of 1 to 256 characters.`, name);
  return value;
};

/** The body as a report, or a 400 naming the field at fault. */
export const parseOutcomeReport = (text: string): OutcomeReport => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new RouterError('invalid_request', 'The request body is not valid JSON.');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw invalid('the body must be a JSON object.');
  const body = json as Record<string, unknown>;
  const unknown = Object.keys(body).filter((k) => !FIELDS.has(k));
  if (unknown.length > 0) throw invalid(`unknown field "${unknown[0]}".`, unknown[0]);
  const requestId = optionalId(body.request_id, 'request_id');
  const session = optionalId(body.session, 'session');
  if (requestId === undefined && session === undefined)
    throw invalid('give request_id or session.', 'request_id');
  if (typeof body.workflow !== 'string' || body.workflow.length === 0)
    throw invalid('workflow must be a non-empty string.', 'workflow');
  if (body.outcome !== 'success' && body.outcome !== 'failure')
    throw invalid('outcome must be "success" or "failure".', 'outcome');
  return {
    ...(requestId === undefined ? {} : { request_id: requestId }),
    ...(session === undefined ? {} : { session }),
    workflow: body.workflow,
    outcome: body.outcome,
  };
};

/**
 * `POST /v1/outcomes`: whether the task behind a request (or a session) succeeded, so cost per
 * successful outcome can be read per workflow (`router_cost_usd_total` over
 * `router_outcomes_total{outcome="success"}`). Authenticated like chat; 202 when counted, 200
 * when the same report was already counted.
 */
export const outcomes = (options: {
  config: RouterConfig;
  metrics: RouterMetrics;
}): Handler<AppEnv> => {
  const seen = createNonceCache({ ttlMs: DEDUPE_TTL_MS, capacity: 100_000 });
  return async function outcomes(c) {
    const caller = c.var.caller;
    // A signed escalation's body was read already, to check the signature.
    const text =
      caller.mode === 'escalated'
        ? caller.body
        : await readBodyText(c.req.raw, MAX_BODY_BYTES, BODY_TIMEOUT_MS);
    const report = parseOutcomeReport(text);
    const tenant = caller.tenant.id;
    // Only configured workflows become metric labels, as for chat requests.
    const workflow = configuredWorkflows(options.config).has(report.workflow)
      ? report.workflow
      : 'default';
    const subject =
      report.request_id === undefined
        ? `session:${report.session}`
        : `request:${report.request_id}`;
    const counted = seen.claim(`${tenant}\u0000${subject}`);
    if (counted) options.metrics.recordOutcome(workflow, report.outcome);
    return c.json({ counted, workflow, outcome: report.outcome }, counted ? 202 : 200);
  };
};
