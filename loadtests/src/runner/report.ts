import type { BreakerEvent } from './breaker-sampler.ts';
import type { CpuUse } from './cpu-use.ts';
import type { K6Summary } from './k6-summary.ts';
import { sloResults } from './k6-summary.ts';
import type { ScenarioSpec } from './scenarios.ts';
import { TRANSIENT_ERROR_BUDGET } from './thresholds.ts';

export type RunFacts = {
  scenario: ScenarioSpec;
  rate: number;
  durationS: number;
  baseUrl: string;
  machine: string;
  startedAt: string;
  faults: string[];
  breakerEvents: BreakerEvent[];
  /** CPU per part of the stack while k6 ran (empty when not measured). */
  cpuUse?: CpuUse[];
  chartFile: string;
};

const ms = (v: number | undefined) => (v === undefined ? 'n/a' : `${v.toFixed(1)} ms`);
const pct = (v: number | undefined) => (v === undefined ? 'n/a' : `${(v * 100).toFixed(3)} %`);

/** The Markdown report: a pass/fail line per SLO, TTFT per tier, error budget, routing share. */
export const renderReport = (
  summary: K6Summary,
  facts: RunFacts,
): { markdown: string; ok: boolean } => {
  const m = summary.metrics;
  const slos = sloResults(summary);
  const ok = slos.every((s) => s.ok);
  const requests = m.http_reqs?.values.count ?? 0;
  const edge = m.routed_edge?.values.count ?? 0;
  const regional = m.routed_regional?.values.count ?? 0;
  const served = edge + regional;
  const transient = m.router_transient_errors?.values.rate;
  const lines = [
    `# Load test: ${facts.scenario.name} — ${ok ? 'PASS' : 'FAIL'}`,
    '',
    `${facts.scenario.description}. ${facts.rate} requests/s for ${facts.durationS} s against ${facts.baseUrl}, ${facts.startedAt}; ${facts.machine}.`,
    facts.faults.length > 0 ? `Faults: ${facts.faults.join('; ')}.` : 'No faults injected.',
    '',
    '## SLOs',
    '',
    '| SLO | threshold | observed | result |',
    '| --- | --- | --- | --- |',
    ...slos.map(
      (s) => `| ${s.metric} | ${s.threshold} | ${s.observed} | ${s.ok ? 'pass' : 'FAIL'} |`,
    ),
    '',
    '## Time to first token per tier (streaming requests)',
    '',
    '| tier | p50 | p95 | p99 | count |',
    '| --- | --- | --- | --- | --- |',
    ...(['edge', 'regional'] as const).map((tier) => {
      const v = m[`router_ttft{tier:${tier}}`]?.values;
      return `| ${tier} | ${ms(v?.med)} | ${ms(v?.['p(95)'])} | ${ms(v?.['p(99)'])} | ${v?.count ?? 0} |`;
    }),
    '',
    `End-to-end p95 ${ms(m.router_e2e?.values['p(95)'])}, policy check p99 ${ms(m.router_policy?.values['p(99)'])}.`,
    '',
    '## Error budget by class',
    '',
    '| class | rate | budget | budget used |',
    '| --- | --- | --- | --- |',
    `| transient (5xx, 504, network) | ${pct(transient)} | ${pct(TRANSIENT_ERROR_BUDGET)} | ${transient === undefined ? 'n/a' : `${((transient / TRANSIENT_ERROR_BUDGET) * 100).toFixed(1)} %`} |`,
    `| deterministic (4xx but 429) | ${pct(m.router_deterministic_errors?.values.rate)} | 0 | not availability |`,
    `| quota (429) | ${pct(m.router_quota_rejections?.values.rate)} | ${facts.scenario.quotaRejectionsAllowed ? 'expected' : '0'} | not availability |`,
    '',
    '## Routing share',
    '',
    '| tier / model | requests | share |',
    '| --- | --- | --- |',
    `| edge | ${edge} | ${served ? ((edge / served) * 100).toFixed(1) : '0'} % |`,
    `| regional | ${regional} | ${served ? ((regional / served) * 100).toFixed(1) : '0'} % |`,
    ...Object.entries(m)
      .filter(([name]) => name.startsWith('routed_model_'))
      .map(([name, metric]) => {
        const count = metric.values.count ?? 0;
        return `| ${name.slice('routed_model_'.length)} | ${count} | ${served ? ((count / served) * 100).toFixed(1) : '0'} % |`;
      }),
    '',
    `${requests} requests sent.`,
    '',
  ];
  if (facts.breakerEvents.length > 0) {
    lines.push('## Breakers', '', '| t (s) | breaker | state |', '| --- | --- | --- |');
    for (const e of facts.breakerEvents) lines.push(`| ${e.t} | ${e.breaker} | ${e.state} |`);
    lines.push('');
  }
  if (facts.cpuUse !== undefined && facts.cpuUse.length > 0) {
    lines.push(
      '## CPU while k6 ran',
      '',
      '| process | CPU s | cores busy |',
      '| --- | ---: | ---: |',
      ...facts.cpuUse.map(
        (u) => `| ${u.part} | ${u.cpuS.toFixed(1)} | ${u.coresBusy.toFixed(2)} |`,
      ),
      '',
    );
  }
  lines.push('## Latency over time', '', `![p95 latency per second](${facts.chartFile})`, '');
  return { markdown: lines.join('\n'), ok };
};
