import { getOrInit } from './get-or-init.ts';
import type { Counts, Job, JobResult, Loadgen } from './loadgen-client.ts';
import type { GroupTracker } from './proc-stats.ts';
import type { TargetName } from './targets.ts';

/** A target as the phases see it: where to send, and which processes to charge the CPU to. */
export type ActiveTarget = {
  name: TargetName;
  /** Base URL of the router (the simulator's for `direct`). */
  url: string;
  /** The router's process group; none for `direct`. */
  group: GroupTracker | undefined;
  /** Command names of the serving processes in the group (the edge: workerd); all when unset. */
  serverCommands?: string[];
  /** Whether its server is still up (undefined: nothing to watch). */
  running?: () => boolean;
};

/** The targets whose server has not exited. */
export const live = (targets: readonly ActiveTarget[]): ActiveTarget[] =>
  targets.filter((t) => t.running?.() ?? true);

/** Raw figures of every round of one target in one cell (a rate, a stream scenario, …). */
export type Cell = Counts & {
  rounds: number;
  elapsedMs: number;
  latencyUs: number[];
  ttftUs: number[];
  serverTimingUs: Record<string, number[]>;
  peakInFlight: number;
  /** CPU the router's process group used during the rounds (warm-ups included). */
  cpuMs: number;
  /** The same for the serving processes only (the edge: workerd without wrangler). */
  serverCpuMs: number;
  /** CPU the simulator used during the same rounds. */
  simCpuMs: number;
};

export const emptyCell = (): Cell => ({
  rounds: 0,
  warmupSent: 0,
  sent: 0,
  ok: 0,
  failed: 0,
  dropped: 0,
  stalled: 0,
  failures: {},
  elapsedMs: 0,
  latencyUs: [],
  ttftUs: [],
  serverTimingUs: {},
  peakInFlight: 0,
  cpuMs: 0,
  serverCpuMs: 0,
  simCpuMs: 0,
});

const append = (into: number[], from: readonly number[]): void => {
  for (const v of from) into.push(v);
};

type CpuDelta = { cpuMs: number; serverCpuMs: number; simCpuMs: number };

const mergeInto = (cell: Cell, result: JobResult, cpu: CpuDelta): void => {
  cell.rounds++;
  cell.warmupSent += result.warmupSent;
  cell.sent += result.sent;
  cell.ok += result.ok;
  cell.failed += result.failed;
  cell.dropped += result.dropped;
  cell.stalled += result.stalled;
  for (const [kind, n] of Object.entries(result.failures)) {
    cell.failures[kind] = (cell.failures[kind] ?? 0) + n;
  }
  cell.elapsedMs += result.elapsedMs;
  append(cell.latencyUs, result.latencyUs);
  append(cell.ttftUs, result.ttftUs);
  for (const [name, values] of Object.entries(result.serverTimingUs ?? {})) {
    append(
      getOrInit(cell.serverTimingUs, name, () => []),
      values,
    );
  }
  cell.peakInFlight = Math.max(cell.peakInFlight, result.peakInFlight);
  cell.cpuMs += cpu.cpuMs;
  cell.serverCpuMs += cpu.serverCpuMs;
  cell.simCpuMs += cpu.simCpuMs;
};

/** CPU of the whole group and of its serving processes, ms. */
export const cpuNow = (target: ActiveTarget): { all: number; server: number } => {
  if (target.group === undefined) return { all: 0, server: 0 };
  const sample = target.group.sample();
  const commands = target.serverCommands;
  if (commands === undefined) return { all: sample.cpuMs, server: sample.cpuMs };
  let server = 0;
  for (const [command, entry] of Object.entries(sample.byCommand)) {
    if (commands.includes(command)) server += entry.cpuMs;
  }
  return { all: sample.cpuMs, server };
};

export type RoundRunner = (target: ActiveTarget, job: Job, cell: Cell) => Promise<JobResult>;

const QUIET_WINDOW_MS = 200;
/** CPU over one window below which a process group counts as idle (10 % of one core). */
const QUIET_CPU_MS = QUIET_WINDOW_MS / 10;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits (at most `limitMs`) until the router and the simulator are idle again: an overloaded
 * target still working off its backlog must not spill into the next target's round.
 */
export const quiesce = async (
  target: ActiveTarget,
  sim: GroupTracker,
  limitMs: number,
): Promise<number> => {
  const started = Date.now();
  let previous = cpuNow(target).all + sim.sample().cpuMs;
  while (Date.now() - started < limitMs) {
    await sleep(QUIET_WINDOW_MS);
    const now = cpuNow(target).all + sim.sample().cpuMs;
    if (now - previous <= QUIET_CPU_MS) break;
    previous = now;
  }
  return Date.now() - started;
};

/**
 * Runs one round, waits for the router to go idle, and charges the CPU the router and the
 * simulator used meanwhile (backlog included) to `cell`.
 */
export const roundRunner =
  (
    loadgen: Loadgen,
    sim: { group: GroupTracker; running: () => boolean },
    quiesceLimitMs: number,
    log: (line: string) => void,
  ): RoundRunner =>
  async (target, job, cell) => {
    const before = cpuNow(target);
    const simBefore = sim.group.sample().cpuMs;
    const result = await loadgen.run(job);
    const waited = await quiesce(target, sim.group, quiesceLimitMs);
    if (waited >= 1_000) {
      log(`    (${target.name} took ${(waited / 1000).toFixed(1)} s to go idle after the round)`);
    }
    const after = cpuNow(target);
    mergeInto(cell, result, {
      cpuMs: after.all - before.all,
      serverCpuMs: after.server - before.server,
      simCpuMs: sim.group.sample().cpuMs - simBefore,
    });
    if (!sim.running()) throw new Error('the simulated providers exited during the run');
    if (target.running?.() === false) {
      log(`  ${target.name} EXITED during this round: it is left out from here on (see its log)`);
    }
    return result;
  };

/** The targets in an order that moves by one each round, so none is always first or last. */
export const rotate = <T>(items: readonly T[], by: number): T[] => {
  if (items.length === 0) return [];
  const k = by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
};
