import type { BenchOptions } from './args.ts';
import type { ProfileSummary } from './cpu-profile.ts';
import { getOrInit } from './get-or-init.ts';
import type { Counts } from './loadgen-client.ts';
import type { Cells } from './phases.ts';
import type { Cell } from './rounds.ts';
import { added, type Summary, summarize } from './stats.ts';
import type { TargetName } from './targets.ts';

export type TargetInfo = {
  name: TargetName;
  label: string;
  upstream: string;
  status: 'ran' | 'skipped';
  why?: string;
  /** Its server exited before the run ended (figures after that are missing). */
  exitedDuringRun?: boolean;
  /** x-router-* headers of the smoke request: where the router sent it. */
  routerHeaders?: Record<string, string>;
};

export type RateRow = Counts & {
  target: TargetName;
  rate: number;
  achievedRps: number;
  latency: Summary;
  addedP50Ms: number;
  addedP99Ms: number;
  /** Router CPU (user + system, whole process group) per request, warm-ups included. */
  cpuUsPerRequest: number;
  simCpuUsPerRequest: number;
};

export type MaxStep = {
  concurrency: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  failed: number;
  cpuUsPerRequest: number;
};

export type MaxRow = {
  target: TargetName;
  steps: MaxStep[];
  maxRps: number;
  atConcurrency: number;
};

export type StreamRow = Counts & {
  target: TargetName;
  scenario: string;
  ttft: Summary;
  latency: Summary;
  addedTtftP50Ms: number;
  addedTtftP99Ms: number;
};

export type ResourceRow = {
  target: TargetName | 'simulator';
  /** The whole process group (for the edge: wrangler, esbuild and workerd). */
  rssIdleMb: number;
  rssPeakMb: number;
  /** The serving processes only (the edge: workerd); the same as the group for the others. */
  serverRssIdleMb: number;
  serverRssPeakMb: number;
  /** Which processes "server" means, e.g. "workerd ×2". */
  serverProcesses: string;
  /** CPU per request over the fixed-rate phase (user + system, warm-ups included), µs. */
  cpuUsPerRequest: number;
  serverCpuUsPerRequest: number;
};

export type TimingRow = { target: TargetName; phase: string; entry: string; summary: Summary };

export type BenchReport = {
  startedAt: string;
  finishedAt: string;
  durationS: number;
  options: BenchOptions;
  machine: Record<string, string>;
  conditions: string[];
  targets: TargetInfo[];
  rate: RateRow[];
  max: MaxRow[];
  stream: StreamRow[];
  resources: ResourceRow[];
  serverTiming: TimingRow[];
  profile?: ProfileSummary;
  notes: string[];
  /** Raw samples (µs) when --raw: phase → target → key → samples. */
  raw?: Record<string, Record<string, Record<string, { latencyUs: number[]; ttftUs: number[] }>>>;
};

const countsOf = (cell: Cell): Counts => ({
  warmupSent: cell.warmupSent,
  sent: cell.sent,
  ok: cell.ok,
  failed: cell.failed,
  dropped: cell.dropped,
  stalled: cell.stalled,
  failures: cell.failures,
});

const perRequestUs = (ms: number, requests: number): number =>
  requests > 0 ? (ms * 1000) / requests : Number.NaN;

export const rateRows = (cells: Cells, targets: TargetName[], rates: number[]): RateRow[] => {
  const rows: RateRow[] = [];
  for (const rate of rates) {
    const base = cells.direct?.[String(rate)];
    const baseLatency = base ? summarize(base.latencyUs) : undefined;
    for (const target of targets) {
      const cell = cells[target]?.[String(rate)];
      if (cell === undefined) continue;
      const latency = summarize(cell.latencyUs);
      const requests = cell.sent + cell.warmupSent;
      rows.push({
        target,
        rate,
        ...countsOf(cell),
        achievedRps: cell.elapsedMs > 0 ? cell.ok / (cell.elapsedMs / 1000) : Number.NaN,
        latency,
        addedP50Ms: added(latency.p50, baseLatency?.p50),
        addedP99Ms: added(latency.p99, baseLatency?.p99),
        cpuUsPerRequest: target === 'direct' ? Number.NaN : perRequestUs(cell.cpuMs, requests),
        simCpuUsPerRequest: perRequestUs(cell.simCpuMs, requests),
      });
    }
  }
  return rows;
};

export const maxRows = (cells: Cells, targets: TargetName[]): MaxRow[] =>
  targets.flatMap((target) => {
    const byConcurrency = cells[target];
    if (byConcurrency === undefined) return [];
    const steps: MaxStep[] = Object.entries(byConcurrency)
      .map(([c, cell]) => {
        const latency = summarize(cell.latencyUs);
        return {
          concurrency: Number(c),
          rps: cell.elapsedMs > 0 ? cell.ok / (cell.elapsedMs / 1000) : 0,
          p50Ms: latency.p50,
          p99Ms: latency.p99,
          failed: cell.failed,
          cpuUsPerRequest:
            target === 'direct'
              ? Number.NaN
              : perRequestUs(cell.cpuMs, cell.sent + cell.warmupSent),
        };
      })
      .sort((a, b) => a.concurrency - b.concurrency);
    const best = steps.reduce<MaxStep | undefined>(
      (b, s) => (b === undefined || s.rps > b.rps ? s : b),
      undefined,
    );
    return [{ target, steps, maxRps: best?.rps ?? 0, atConcurrency: best?.concurrency ?? 0 }];
  });

export const streamRows = (cells: Cells, targets: TargetName[]): StreamRow[] => {
  const rows: StreamRow[] = [];
  const scenarios = [...new Set(Object.values(cells).flatMap((byKey) => Object.keys(byKey)))];
  for (const scenario of scenarios) {
    const base = cells.direct?.[scenario];
    const baseTtft = base ? summarize(base.ttftUs) : undefined;
    for (const target of targets) {
      const cell = cells[target]?.[scenario];
      if (cell === undefined) continue;
      const ttft = summarize(cell.ttftUs);
      rows.push({
        target,
        scenario,
        ...countsOf(cell),
        ttft,
        latency: summarize(cell.latencyUs),
        addedTtftP50Ms: added(ttft.p50, baseTtft?.p50),
        addedTtftP99Ms: added(ttft.p99, baseTtft?.p99),
      });
    }
  }
  return rows;
};

/** server-timing entries the routers reported, per phase cell merged over rates / scenarios. */
export const timingRows = (phase: string, cells: Cells, targets: TargetName[]): TimingRow[] => {
  const rows: TimingRow[] = [];
  for (const target of targets) {
    if (target === 'direct') continue;
    const merged: Record<string, number[]> = {};
    for (const cell of Object.values(cells[target] ?? {})) {
      for (const [entry, values] of Object.entries(cell.serverTimingUs)) {
        const into = getOrInit(merged, entry, () => []);
        for (const v of values) into.push(v);
      }
    }
    for (const [entry, values] of Object.entries(merged)) {
      rows.push({ target, phase, entry, summary: summarize(values) });
    }
  }
  return rows;
};

/** CPU per request (µs) of a target over a whole phase: the group's and the server's. */
export const cpuOfPhase = (cells: Cells, target: TargetName): { all: number; server: number } => {
  let cpuMs = 0;
  let serverCpuMs = 0;
  let requests = 0;
  for (const cell of Object.values(cells[target] ?? {})) {
    cpuMs += cell.cpuMs;
    serverCpuMs += cell.serverCpuMs;
    requests += cell.sent + cell.warmupSent;
  }
  return { all: perRequestUs(cpuMs, requests), server: perRequestUs(serverCpuMs, requests) };
};
