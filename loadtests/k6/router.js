// One k6 script for every scenario: the runner writes a plan (rate, stages, thresholds, tenants)
// and passes its path in K6_PLAN. Thresholds come from router.config.yaml's budgets.
import exec from 'k6/execution';
import http from 'k6/http';
import { Counter, Rate, Trend } from 'k6/metrics';
import { requestAt } from './lib/traffic.js';

const plan = JSON.parse(open(__ENV.K6_PLAN));

export const options = {
  scenarios: plan.scenarios,
  thresholds: plan.thresholds,
  summaryTrendStats: ['avg', 'min', 'med', 'p(90)', 'p(95)', 'p(99)', 'max', 'count'],
  discardResponseBodies: false,
  noConnectionReuse: false,
};

const ttft = new Trend('router_ttft', true);
const e2e = new Trend('router_e2e', true);
const policy = new Trend('router_policy', true);
const transient = new Rate('router_transient_errors');
const deterministic = new Rate('router_deterministic_errors');
const quota = new Rate('router_quota_rejections');
const routed = {};
for (const tier of ['edge', 'regional']) routed[tier] = new Counter(`routed_${tier}`);
const routedModel = {};
for (const model of plan.models)
  routedModel[model] = new Counter(`routed_model_${model.replace(/[^a-zA-Z0-9_]/g, '_')}`);

const POLICY_RE = /policy;dur=([0-9.]+)/;

export default function () {
  const i = Number(exec.scenario.iterationInTest);
  const tenants = plan.tenantsByScenario ?? plan.tenants;
  const req = requestAt(plan.mix, i, tenants, { streamingPercent: plan.streamingPercent });
  const res = http.post(`${plan.baseUrl}/v1/chat/completions`, req.body, {
    headers: req.headers,
    timeout: `${plan.requestTimeoutMs}ms`,
    tags: { workflow: req.workflow, tenant: req.tenant, category: req.category },
  });
  const tier = res.headers['X-Router-Tier'] ?? 'none';
  const model = res.headers['X-Router-Model'] ?? 'none';
  const tags = { workflow: req.workflow, tier, tenant: req.tenant };
  const status = res.status;
  const isTransient = status === 0 || status >= 500;
  const isQuota = status === 429;
  const isDeterministic = status >= 400 && status < 500 && !isQuota;
  transient.add(isTransient, tags);
  deterministic.add(isDeterministic, tags);
  quota.add(isQuota, tags);
  if (status !== 200) return;
  // Headers are held until the first token, so time to first byte is time to first token.
  if (req.stream) ttft.add(res.timings.waiting, tags);
  e2e.add(res.timings.duration, tags);
  const timing = POLICY_RE.exec(res.headers['Server-Timing'] ?? '');
  if (timing) policy.add(Number(timing[1]), tags);
  routed[tier]?.add(1);
  routedModel[model]?.add(1);
}

export function handleSummary(data) {
  return { [plan.summaryPath]: JSON.stringify(data, null, 2) };
}
