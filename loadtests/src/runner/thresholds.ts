import type { RouterConfig } from '@switchback/router-core';
import type { ScenarioSpec } from './scenarios.ts';

/** Workflow classes the traffic mix sends (see k6/lib/traffic.js). */
const MIX_WORKFLOWS: Record<ScenarioSpec['mix'], string[]> = {
  default: ['chat', 'batch'],
  long_context: ['batch'],
};

/** The availability objective: transient errors (5xx, 504, network) per request. */
export const TRANSIENT_ERROR_BUDGET = 0.001;

/** k6 thresholds from the config's budgets: each a service-level objective with its name. */
export const thresholdsFor = (
  config: RouterConfig,
  scenario: ScenarioSpec,
): Record<string, string[]> => {
  const budgets = MIX_WORKFLOWS[scenario.mix].map(
    (workflow) => config.budgets.workflows[workflow] ?? config.budgets.default,
  );
  // A tier serves every workflow of the mix, so its bound is the loosest budget among them;
  // each workflow's own budget is held by the per-workflow thresholds below.
  const tierTtftMs = Math.max(...budgets.map((b) => b.ttftMs));
  const policyMs = Math.max(...budgets.map((b) => b.policyMs));
  const thresholds: Record<string, string[]> = {
    router_transient_errors: [`rate<${TRANSIENT_ERROR_BUDGET}`],
    router_deterministic_errors: ['rate<=0'],
    router_policy: [`p(99)<${policyMs}`],
    'router_ttft{tier:edge}': [`p(95)<${tierTtftMs}`],
    'router_ttft{tier:regional}': [`p(95)<${tierTtftMs}`],
  };
  if (!scenario.quotaRejectionsAllowed) thresholds.router_quota_rejections = ['rate<=0'];
  for (const workflow of MIX_WORKFLOWS[scenario.mix]) {
    const budget = config.budgets.workflows[workflow] ?? config.budgets.default;
    thresholds[`router_ttft{workflow:${workflow}}`] = [`p(95)<${budget.ttftMs}`];
    thresholds[`router_e2e{workflow:${workflow}}`] = [`p(95)<${budget.totalMs}`];
    thresholds[`router_policy{workflow:${workflow}}`] = [`p(99)<${budget.policyMs}`];
  }
  return { ...thresholds, ...scenario.extraThresholds };
};
