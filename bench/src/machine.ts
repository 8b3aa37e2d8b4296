import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';

const safe = (read: () => string): string => {
  try {
    return read().trim();
  } catch {
    return 'unknown';
  }
};

/** What the figures were taken on. */
export const describeMachine = (): Record<string, string> => {
  const cpu = cpus();
  return {
    cpu: `${cpu[0]?.model ?? 'unknown'} × ${cpu.length} (logical)`,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    kernel: release(),
    node: process.version,
    go: safe(() => execFileSync('go', ['version'], { encoding: 'utf8' })),
    platform: safe(() => readFileSync('/sys/class/dmi/id/product_name', 'utf8')),
  };
};

/** The load averages: how busy the machine was, our processes included. */
export const loadNow = (): string => {
  const [one, five] = loadavg();
  return `load average ${one?.toFixed(2)} (1 min), ${five?.toFixed(2)} (5 min) on ${cpus().length} CPUs`;
};

export type CpuTimes = { total: number; idle: number; steal: number };

/** The machine-wide counters of /proc/stat's `cpu` line (clock ticks). */
export const cpuTimes = (): CpuTimes => {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    // cpu user nice system idle iowait irq softirq steal guest guest_nice
    const f = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = f.reduce((a, b) => a + b, 0);
    return { total, idle: (f[3] ?? 0) + (f[4] ?? 0), steal: f[7] ?? 0 };
  } catch {
    return { total: 0, idle: 0, steal: 0 };
  }
};

/** How busy all CPUs were between two readings, and how much the hypervisor took (steal). */
export const describeCpuUse = (from: CpuTimes, to: CpuTimes): string => {
  const total = to.total - from.total;
  if (total <= 0) return 'unknown';
  const pct = (v: number) => `${((100 * v) / total).toFixed(0)} %`;
  return `all CPUs ${pct(total - (to.idle - from.idle))} busy during the run (steal ${pct(to.steal - from.steal)})`;
};
