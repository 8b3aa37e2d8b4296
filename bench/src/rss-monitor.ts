import type { GroupSample, GroupTracker } from './proc-stats.ts';

export type Watched = {
  name: string;
  group: GroupTracker;
  /** Command names of the serving processes; all of the group when unset. */
  serverCommands?: string[];
};

export type RssFigures = {
  idleBytes: number;
  peakBytes: number;
  serverIdleBytes: number;
  serverPeakBytes: number;
  /** e.g. "workerd ×2" or "MainThread ×1" at the last sample. */
  serverProcesses: string;
};

const serverPart = (sample: GroupSample, commands: string[] | undefined) => {
  let bytes = 0;
  const names: string[] = [];
  for (const [command, entry] of Object.entries(sample.byCommand)) {
    if (commands !== undefined && !commands.includes(command)) continue;
    bytes += entry.rssBytes;
    names.push(`${command} ×${entry.processes}`);
  }
  return { bytes, names: names.join(', ') };
};

const SAMPLE_EVERY_MS = 250;

/** Samples the RSS of each watched group 4 times a second and keeps its peak. */
export const monitorRss = (watched: Watched[]) => {
  const figures = new Map<string, RssFigures>();
  const take = (idle: boolean) => {
    for (const w of watched) {
      const sample = w.group.sample();
      const server = serverPart(sample, w.serverCommands);
      const f = figures.get(w.name) ?? {
        idleBytes: Number.NaN,
        peakBytes: 0,
        serverIdleBytes: Number.NaN,
        serverPeakBytes: 0,
        serverProcesses: '',
      };
      if (idle) {
        f.idleBytes = sample.rssBytes;
        f.serverIdleBytes = server.bytes;
      }
      f.peakBytes = Math.max(f.peakBytes, sample.rssBytes);
      f.serverPeakBytes = Math.max(f.serverPeakBytes, server.bytes);
      f.serverProcesses = server.names;
      figures.set(w.name, f);
    }
  };
  let timer: NodeJS.Timeout | undefined;
  return {
    /** Records the idle figures now (after start-up and the smoke requests, before load). */
    idle: () => take(true),
    start() {
      timer ??= setInterval(() => take(false), SAMPLE_EVERY_MS);
    },
    stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      take(false);
    },
    figures: (name: string): RssFigures | undefined => figures.get(name),
  };
};
