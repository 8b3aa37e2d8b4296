import {
  type BudgetName,
  costUsd,
  type ModelConfig,
  type Outcome,
  type Usage,
} from '@switchback/router-core';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { BREAKER_STATES, type Breakers } from '../resilience/breaker-registry.ts';
import type { AttemptRecord } from '../resilience/provider-runner.ts';
import type { StateFailure } from '../state/state-store.ts';
import { counterCells } from './counter-cells.ts';

/** Everything the accounting of one finished request needs. */
export type RequestMeasure = {
  workflow: string;
  tier: string;
  provider: string;
  model: string;
  tenant: string;
  outcome: Outcome;
  durationMs: number;
  ttftMs: number | undefined;
  policyMs: number | undefined;
  reasons: readonly string[];
  budgetsExceeded: readonly BudgetName[];
  usage: Usage | undefined;
  price: ModelConfig['price'] | undefined;
  /** What policy made of each tool call of the answer. */
  toolDecisions?: readonly ('allowed' | 'denied' | 'held')[];
  /** Upstream attempts (more than one: retried or failed over before the first byte). */
  attempts?: number;
};

export type RouterMetrics = {
  registry: Registry;
  recordRequest(measure: RequestMeasure): void;
  recordAttempt(attempt: AttemptRecord): void;
  /** A client's report that the task behind a request succeeded or failed (`POST /v1/outcomes`). */
  recordOutcome(workflow: string, outcome: 'success' | 'failure'): void;
  /** A chat request served under a config version (stable or canary), to compare them live. */
  recordConfigRequest(version: string, role: 'stable' | 'candidate'): void;
  /** A call to the state store (Redis) that failed or missed its deadline, and the policy applied. */
  recordStateFailure(failure: Pick<StateFailure, 'concern' | 'policy'>): void;
  /** An HTTP request began (+1) or ended (-1): `router_in_flight_requests`, what the HPA scales on. */
  trackInFlight(delta: 1 | -1): void;
};

const seconds = (ms: number): number => ms / 1000;

/** `tenant/workflow`, one string per pair (not one per request). */
const familyNames = () => {
  const byTenant = new Map<string, Map<string, string>>();
  return (tenant: string, workflow: string): string => {
    let byWorkflow = byTenant.get(tenant);
    if (byWorkflow === undefined) {
      byWorkflow = new Map();
      byTenant.set(tenant, byWorkflow);
    }
    let family = byWorkflow.get(workflow);
    if (family === undefined) {
      family = `${tenant}/${workflow}`;
      byWorkflow.set(workflow, family);
    }
    return family;
  };
};

/**
 * The `router_` series of DESIGN.md "Telemetry", in a registry of this app's own (several apps
 * can live in one process, as tests do). `router_breaker_state` is 0 closed, 1 half-open, 2 open.
 */
export const createRouterMetrics = (breakers: Pick<Breakers, 'snapshot'>): RouterMetrics => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const byRoute = ['workflow', 'tier', 'provider'] as const;
  const familyOf = familyNames();

  const ttft = new Histogram({
    name: 'router_ttft_seconds',
    help: 'Time to first token as the client saw it.',
    labelNames: byRoute,
    buckets: [0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'router_request_duration_seconds',
    help: 'End-to-end duration of chat requests.',
    labelNames: byRoute,
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120],
    registers: [registry],
  });
  const policy = new Histogram({
    name: 'router_policy_check_seconds',
    help: 'Time spent in auth, validation and policy before routing.',
    labelNames: byRoute,
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05],
    registers: [registry],
  });
  const budgetExceeded = counterCells({
    name: 'router_budget_exceeded_total',
    help: 'Requests that blew a budget (policy, ttft, total).',
    labelNames: ['budget', 'workflow'] as const,
    registers: [registry],
  });
  const routes = counterCells({
    name: 'router_route_total',
    help: 'Routed requests by tier, model and reason code (one increment per reason).',
    labelNames: ['tier', 'model', 'reason'] as const,
    registers: [registry],
  });
  const requests = counterCells({
    name: 'router_requests_total',
    help: 'Chat requests by outcome class, for error budgets.',
    labelNames: ['workflow', 'tier', 'outcome'] as const,
    registers: [registry],
  });
  const upstreamErrors = counterCells({
    name: 'router_upstream_errors_total',
    help: 'Failed upstream attempts by kind (retried or not).',
    labelNames: ['kind', 'provider'] as const,
    registers: [registry],
  });
  const gatewayCache = counterCells({
    name: 'router_gateway_cache_total',
    help: 'Answers that came through an AI Gateway, by its cache status (cf-aig-cache-status).',
    labelNames: ['provider', 'gateway', 'status'] as const,
    registers: [registry],
  });
  const cachedTokens = counterCells({
    name: 'router_cached_tokens_total',
    help: 'Prompt tokens served from the provider prompt cache, by prompt family (tenant/workflow).',
    labelNames: ['provider', 'model', 'family'] as const,
    registers: [registry],
  });
  const promptTokens = counterCells({
    name: 'router_prompt_tokens_total',
    help: 'Prompt tokens sent upstream, by prompt family (tenant/workflow).',
    labelNames: ['provider', 'model', 'family'] as const,
    registers: [registry],
  });
  const completionTokens = counterCells({
    name: 'router_completion_tokens_total',
    help: 'Completion tokens received.',
    labelNames: ['provider', 'model'] as const,
    registers: [registry],
  });
  const cost = counterCells({
    name: 'router_cost_usd_total',
    help: 'Estimated cost at list prices.',
    labelNames: ['tenant', 'workflow', 'provider', 'model'] as const,
    registers: [registry],
  });
  const toolCalls = counterCells({
    name: 'router_tool_calls_total',
    help: "Tool calls in the models' answers by policy decision (allowed, denied, held for approval).",
    labelNames: ['workflow', 'decision'] as const,
    registers: [registry],
  });
  const retried = counterCells({
    name: 'router_retried_requests_total',
    help: 'Chat requests that took more than one upstream attempt (retried or failed over before the first byte), by outcome.',
    labelNames: ['workflow', 'outcome'] as const,
    registers: [registry],
  });
  const configRequests = counterCells({
    name: 'router_config_requests_total',
    help: 'Chat requests by the config version that decided them (stable, or the canary candidate).',
    labelNames: ['version', 'role'] as const,
    registers: [registry],
  });
  const outcomes = new Counter({
    name: 'router_outcomes_total',
    help: 'Task outcomes reported by clients (POST /v1/outcomes); cost per success is router_cost_usd_total over the success count.',
    labelNames: ['workflow', 'outcome'] as const,
    registers: [registry],
  });
  const inFlight = new Gauge({
    name: 'router_in_flight_requests',
    help: 'HTTP requests this replica is serving now, streams until their last byte (the Helm chart scales on it).',
    registers: [registry],
  });
  const stateFailures = new Counter({
    name: 'router_state_unavailable_total',
    help: 'State store (Redis) calls that failed or missed their deadline, by concern and the policy applied (fail_open admits, fail_closed answers 503).',
    labelNames: ['concern', 'policy'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'router_breaker_state',
    help: 'Circuit breaker state per provider, model and backend: 0 closed, 1 half-open, 2 open.',
    labelNames: ['provider', 'model', 'backend'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const { provider, model, backend, state } of breakers.snapshot()) {
        this.set({ provider, model, backend }, BREAKER_STATES.indexOf(state));
      }
    },
  });

  return {
    registry,
    recordRequest(m) {
      const labels = { workflow: m.workflow, tier: m.tier, provider: m.provider };
      duration.observe(labels, seconds(m.durationMs));
      if (m.ttftMs !== undefined) ttft.observe(labels, seconds(m.ttftMs));
      if (m.policyMs !== undefined) policy.observe(labels, seconds(m.policyMs));
      requests.at(m.workflow, m.tier, m.outcome).inc();
      for (const decision of m.toolDecisions ?? []) toolCalls.at(m.workflow, decision).inc();
      if ((m.attempts ?? 0) > 1) retried.at(m.workflow, m.outcome).inc();
      for (const budget of m.budgetsExceeded) budgetExceeded.at(budget, m.workflow).inc();
      // Counted when a route was chosen, however the request then ended.
      if (m.model !== '') {
        for (const reason of m.reasons) routes.at(m.tier, m.model, reason).inc();
      }
      if (m.usage) {
        // A prompt family is a tenant's workflow: bounded by config, unlike prefix hashes.
        const family = familyOf(m.tenant, m.workflow);
        promptTokens.at(m.provider, m.model, family).inc(m.usage.prompt_tokens);
        completionTokens.at(m.provider, m.model).inc(m.usage.completion_tokens);
        cachedTokens
          .at(m.provider, m.model, family)
          .inc(m.usage.prompt_tokens_details?.cached_tokens ?? 0);
        if (m.price) {
          cost.at(m.tenant, m.workflow, m.provider, m.model).inc(costUsd(m.usage, m.price));
        }
      }
    },
    recordAttempt(attempt) {
      if (attempt.outcome === 'ok' && attempt.gateway !== undefined) {
        const { id, cache } = attempt.gateway;
        gatewayCache.at(attempt.provider, id, cache).inc();
      }
      // The client leaving or the deadline passing says nothing about the provider.
      if (
        attempt.outcome === 'ok' ||
        attempt.outcome === 'aborted' ||
        attempt.outcome === 'deadline'
      ) {
        return;
      }
      upstreamErrors.at(attempt.outcome, attempt.provider).inc();
    },
    recordOutcome(workflow, outcome) {
      outcomes.inc({ workflow, outcome });
    },
    recordConfigRequest(version, role) {
      configRequests.at(version, role).inc();
    },
    recordStateFailure({ concern, policy }) {
      stateFailures.inc({ concern, policy });
    },
    trackInFlight(delta) {
      inFlight.inc(delta);
    },
  };
};
