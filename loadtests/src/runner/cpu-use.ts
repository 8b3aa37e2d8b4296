import { readdirSync, readFileSync } from 'node:fs';

/** CPU time one part of the local stack used during a run, and its share of the machine. */
export type CpuUse = { part: string; cpuS: number; coresBusy: number };

/** What the local stack's processes are, by command name and arguments. */
export const partOf = (comm: string, cmdline: string): string => {
  if (comm === 'k6' || /\/k6(\s|$)/.test(cmdline)) return 'k6';
  if (comm === 'workerd' || cmdline.includes('/workerd ')) return 'workerd (edge Worker)';
  if (cmdline.includes('wrangler')) return 'wrangler (dev server, node)';
  if (cmdline.includes('sim/main.ts')) return 'simulated providers (node)';
  if (cmdline.includes('regional/src/main.ts')) return 'regional (node)';
  if (comm === 'esbuild') return 'esbuild (wrangler)';
  // Node names its main thread "MainThread": the program's file name says more.
  const program = cmdline.split(' ')[0] ?? '';
  return program === '' ? comm : (program.split('/').pop() ?? comm);
};

type Proc = { pid: number; ppid: number; comm: string; ticks: number };

const TICKS_PER_S = 100; // USER_HZ: 100 on every Linux that runs this

const readProc = (pid: number): Proc | undefined => {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    // After "pid (comm) " come state (3), ppid (4), …, utime (14), stime (15).
    const fields = text.slice(close + 2).split(' ');
    return {
      pid,
      ppid: Number(fields[1]),
      comm: text.slice(text.indexOf('(') + 1, close),
      ticks: Number(fields[11]) + Number(fields[12]),
    };
  } catch {
    return undefined;
  }
};

const cmdlineOf = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
};

/** CPU seconds the whole machine has been busy (all cores, idle and iowait left out). */
const machineBusyS = (): number | undefined => {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const ticks = line.trim().split(/\s+/).slice(1).map(Number);
    const total = ticks.slice(0, 8).reduce((sum, t) => sum + t, 0);
    return (total - (ticks[3] ?? 0) - (ticks[4] ?? 0)) / TICKS_PER_S;
  } catch {
    return undefined;
  }
};

/** This process's descendants (the stack's children, their workerd, k6), from /proc. */
const descendants = (root: number): Proc[] => {
  const all: Proc[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const proc = readProc(pid);
    if (proc !== undefined) all.push(proc);
  }
  const inTree = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of all) {
      if (!inTree.has(p.pid) && inTree.has(p.ppid)) {
        inTree.add(p.pid);
        grew = true;
      }
    }
  }
  return all.filter((p) => p.pid !== root && inTree.has(p.pid));
};

/**
 * Samples the CPU time of every process below this one once a second (a process is read until
 * it exits, so k6 loses at most its last second), and of this runner itself. `stop()` returns
 * what each part used between `start` and `stop`, largest first. Linux only: elsewhere, nothing.
 */
export const sampleCpuUse = (intervalMs = 1_000) => {
  const first = new Map<number, number>();
  const last = new Map<number, { part: string; ticks: number }>();
  const parts = new Map<number, string>();
  const runnerStart = process.cpuUsage();
  const machineStart = machineBusyS();
  const startedAt = Date.now();
  const tick = () => {
    let procs: Proc[];
    try {
      procs = descendants(process.pid);
    } catch {
      return;
    }
    for (const p of procs) {
      let part = parts.get(p.pid);
      if (part === undefined) {
        part = partOf(p.comm, cmdlineOf(p.pid));
        parts.set(p.pid, part);
      }
      if (!first.has(p.pid)) first.set(p.pid, p.ticks);
      last.set(p.pid, { part, ticks: p.ticks });
    }
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  return {
    stop(): CpuUse[] {
      tick();
      clearInterval(timer);
      const wallS = (Date.now() - startedAt) / 1000;
      const byPart = new Map<string, number>();
      for (const [pid, { part, ticks }] of last) {
        const used = (ticks - (first.get(pid) ?? ticks)) / TICKS_PER_S;
        byPart.set(part, (byPart.get(part) ?? 0) + used);
      }
      const runner = process.cpuUsage(runnerStart);
      byPart.set('runner (node)', (runner.user + runner.system) / 1e6);
      const ours = [...byPart.values()].reduce((sum, s) => sum + s, 0);
      const machine = machineBusyS();
      if (machine !== undefined && machineStart !== undefined) {
        byPart.set('everything else on the machine', Math.max(0, machine - machineStart - ours));
      }
      return [...byPart]
        .filter(([, cpuS]) => cpuS > 0)
        .map(([part, cpuS]) => ({ part, cpuS, coresBusy: wallS > 0 ? cpuS / wallS : 0 }))
        .sort((a, b) => b.cpuS - a.cpuS);
    },
  };
};
