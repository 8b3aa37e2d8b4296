import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { type RouterConfig, routerConfigSchema } from '@switchback/router-core';
import { parse as parseYaml } from 'yaml';
import { freePort, REPO_ROOT, type Stack, startStack } from '../stack/index.ts';
import type { RunnerArgs } from './args.ts';
import { sampleBreakers } from './breaker-sampler.ts';
import { type CpuUse, sampleCpuUse } from './cpu-use.ts';
import { ensureK6 } from './k6-binary.ts';
import type { K6Summary } from './k6-summary.ts';
import { renderReport } from './report.ts';
import { SCENARIOS, type ScheduledFault } from './scenarios.ts';
import { thresholdsFor } from './thresholds.ts';
import { latencyTimeline, svgChart } from './timeline.ts';

export type RunOutcome = { ok: boolean; reportPath: string; summaryPath: string; k6Exit: number };

const loadConfig = (path: string): RouterConfig =>
  routerConfigSchema.parse(parseYaml(readFileSync(resolve(REPO_ROOT, path), 'utf8')));

const applyFaults = (providersUrl: string, faults: ScheduledFault[], durationS: number) => {
  const timers: NodeJS.Timeout[] = [];
  const post = (fault: ScheduledFault['fault']) =>
    fetch(`${providersUrl}/_sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(fault),
    }).then((r) => r.body?.cancel());
  const clear = () =>
    fetch(`${providersUrl}/_sim/faults`, { method: 'DELETE' }).then((r) => r.body?.cancel());
  for (const { from, until, fault } of faults) {
    timers.push(setTimeout(() => void post(fault), from * durationS * 1000));
    if (until < 1) timers.push(setTimeout(() => void clear(), until * durationS * 1000));
  }
  return {
    stop: async () => {
      for (const t of timers) clearTimeout(t);
      await clear().catch(() => {});
    },
  };
};

const WARM_UP_REQUESTS = 12;

/**
 * A fresh workerd compiles the Worker and creates its Durable Objects on first use; a few
 * requests first keep that one-off cost out of the SLO figures (it is not what steady traffic
 * sees). Both tiers, streaming and not.
 */
const warmUp = async (baseUrl: string, key: string): Promise<void> => {
  const long = 'Step by step, prove the claim and analyse each case carefully. '.repeat(200);
  for (let i = 0; i < WARM_UP_REQUESTS; i += 1) {
    const response = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'auto',
        stream: i % 2 === 0,
        messages: [{ role: 'user', content: i % 3 === 0 ? long : `Warm-up ${i}: say hi.` }],
      }),
      signal: AbortSignal.timeout(30_000),
    });
    await response.arrayBuffer();
  }
};

/** Brings the stack up (unless given a URL), runs one k6 scenario, writes the report, stops. */
export const runScenario = async (
  args: RunnerArgs,
  log: (line: string) => void = console.log,
): Promise<RunOutcome> => {
  const scenario = SCENARIOS[args.scenario];
  const rate = args.rate ?? scenario.defaultRate;
  const durationS = args.durationS ?? scenario.defaultDurationS;
  const config = loadConfig(args.configPath);
  const k6 = ensureK6(log);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const outDir = resolve(
    REPO_ROOT,
    args.outDir ?? join('loadtests/reports', `${scenario.name}-${stamp}`),
  );
  mkdirSync(outDir, { recursive: true });

  let stack: Stack | undefined;
  if (args.url === undefined) {
    log(`starting the local stack for ${scenario.name}…`);
    const ports = {
      edge: await freePort(),
      regional: await freePort(),
      providers: await freePort(),
    };
    stack = await startStack({ ports, configPath: args.configPath, onLine: () => {} });
  }
  const baseUrl = args.url ?? (stack as Stack).edgeUrl;
  const providersUrl = args.providersUrl ?? stack?.providersUrl ?? 'http://127.0.0.1:8789';
  const regionalUrl = args.regionalUrl ?? stack?.regionalUrl ?? 'http://127.0.0.1:8788';

  const summaryPath = join(outDir, 'summary.json');
  const planPath = join(outDir, 'plan.json');
  const pointsPath = join(outDir, 'points.json');
  writeFileSync(
    planPath,
    JSON.stringify(
      {
        baseUrl,
        mix: scenario.mix,
        streamingPercent: scenario.streamingPercent,
        tenants: scenario.tenants,
        models: config.models.flatMap((m) => [m.id, m.name]),
        scenarios: scenario.executors(rate, durationS),
        thresholds: thresholdsFor(config, scenario),
        requestTimeoutMs:
          Math.max(
            ...Object.values(config.budgets.workflows).map((b) => b.totalMs),
            config.budgets.default.totalMs,
          ) + 5_000,
        summaryPath,
      },
      null,
      2,
    ),
  );

  await warmUp(baseUrl, scenario.tenants[0]?.key ?? 'sk-local-demo');
  const startedAt = Date.now();
  const faults = applyFaults(providersUrl, scenario.faults(durationS), durationS);
  const breakers = sampleBreakers(`${regionalUrl}/metrics`, startedAt);
  const cpu = sampleCpuUse();
  let cpuUse: CpuUse[] = [];
  let k6Exit = 1;
  try {
    k6Exit = await new Promise<number>((done) => {
      const child = spawn(
        k6,
        [
          'run',
          '--quiet',
          '--no-usage-report',
          '--out',
          `json=${pointsPath}`,
          join(REPO_ROOT, 'loadtests/k6/router.js'),
        ],
        { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, K6_PLAN: planPath } },
      );
      child.once('exit', (code) => done(code ?? 1));
      child.once('error', () => done(1));
    });
  } finally {
    cpuUse = cpu.stop();
    breakers.stop();
    await faults.stop();
    await stack?.stop();
  }

  const summary = JSON.parse(readFileSync(summaryPath, 'utf8')) as K6Summary;
  const series = await latencyTimeline(pointsPath, ['router_ttft', 'router_e2e']);
  const marks = scenario
    .faults(durationS)
    .flatMap((f) => [
      { t: f.from * durationS, label: `${f.fault.kind} on` },
      ...(f.until < 1 ? [{ t: f.until * durationS, label: 'cleared' }] : []),
    ]);
  writeFileSync(
    join(outDir, 'latency.svg'),
    svgChart(`${scenario.name}: p95 latency per second`, series, marks),
  );
  const { markdown, ok } = renderReport(summary, {
    scenario,
    rate,
    durationS,
    baseUrl,
    machine: `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    startedAt: new Date(startedAt).toISOString(),
    faults: scenario
      .faults(durationS)
      .map((f) =>
        `${f.fault.kind} ${f.fault.status ?? ''} on ${f.fault.target} from ${Math.round(f.from * durationS)} s to ${Math.round(f.until * durationS)} s`.replace(
          /\s+/g,
          ' ',
        ),
      ),
    breakerEvents: breakers.events,
    cpuUse,
    chartFile: 'latency.svg',
  });
  const reportPath = join(outDir, 'report.md');
  writeFileSync(reportPath, markdown);
  return { ok: ok && k6Exit === 0, reportPath, summaryPath, k6Exit };
};
