import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { getOrInit } from './get-or-init.ts';

/** One process group at one instant: summed over its processes, and per command name. */
export type GroupSample = {
  rssBytes: number;
  cpuMs: number;
  byCommand: Record<string, { rssBytes: number; cpuMs: number; processes: number }>;
};

const ticksPerSecond = (() => {
  try {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(value) && value > 0 ? value : 100;
  } catch {
    return 100;
  }
})();

type Stat = { comm: string; pgrp: number; cpuTicks: number };

/** `/proc/<pid>/stat`: the command name, the process group and utime + stime. */
const readStat = (pid: number): Stat | undefined => {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const open = text.indexOf('(');
    const close = text.lastIndexOf(')');
    // After "pid (comm) " the fields start at field 3 (state): pgrp is 5, utime 14, stime 15.
    const fields = text.slice(close + 2).split(' ');
    return {
      comm: text.slice(open + 1, close),
      pgrp: Number(fields[2]),
      cpuTicks: Number(fields[11]) + Number(fields[12]),
    };
  } catch {
    return undefined; // gone
  }
};

/** VmRSS of `/proc/<pid>/status`, in bytes. */
const readRss = (pid: number): number => {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
};

const groupMembers = (pgid: number): number[] => {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    if (readStat(pid)?.pgrp === pgid) members.push(pid);
  }
  return members;
};

export type GroupTracker = { sample(): GroupSample };

const MEMBERS_TTL_MS = 2_000;

/**
 * Tracks a process group (a server started in its own group: wrangler with its workerd and
 * esbuild, a lone node process). Membership is re-read every 2 s, so sampling stays cheap.
 */
export const trackGroup = (pgid: number): GroupTracker => {
  let members: number[] = [];
  let listedAt = 0;
  return {
    sample() {
      if (Date.now() - listedAt > MEMBERS_TTL_MS) {
        members = groupMembers(pgid);
        listedAt = Date.now();
      }
      const sample: GroupSample = { rssBytes: 0, cpuMs: 0, byCommand: {} };
      for (const pid of members) {
        const stat = readStat(pid);
        if (stat === undefined) continue;
        const rssBytes = readRss(pid);
        const cpuMs = (stat.cpuTicks * 1000) / ticksPerSecond;
        sample.rssBytes += rssBytes;
        sample.cpuMs += cpuMs;
        const entry = getOrInit(sample.byCommand, stat.comm, () => ({
          rssBytes: 0,
          cpuMs: 0,
          processes: 0,
        }));
        entry.rssBytes += rssBytes;
        entry.cpuMs += cpuMs;
        entry.processes++;
      }
      return sample;
    },
  };
};

/** Resolution of the CPU figures: one clock tick. */
export const CPU_TICK_MS = 1000 / ticksPerSecond;
