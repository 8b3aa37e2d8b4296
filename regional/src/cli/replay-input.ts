import type { RouterConfig } from '@switchback/router-core';
import { parseTraffic, type TrafficRecord } from '../replay/traffic.ts';
import type { CliIo } from './cli-io.ts';
import { loadConfigFile } from './load-config.ts';
import { type ProgressStream, progressBar } from './progress-bar.ts';

/** Loads a config for a replay command, printing every issue when it is invalid. */
export const loadReplayConfig = async (
  io: CliIo,
  path: string,
): Promise<RouterConfig | undefined> => {
  const loaded = await loadConfigFile(io, path);
  if (loaded.ok) return loaded.config;
  io.err(`${path}: invalid config (run switchback validate for details):`);
  for (const issue of loaded.issues) io.err(`${issue.path}: ${issue.message}`);
  return undefined;
};

/** Reads and parses a traffic file; bad lines are reported (the first few) and skipped. */
export const loadTraffic = async (
  io: CliIo,
  path: string,
  stderr: ProgressStream | undefined,
): Promise<TrafficRecord[] | undefined> => {
  let text: string;
  try {
    text = await io.readFile(path);
  } catch (error) {
    io.err(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  const progress = progressBar('reading', stderr);
  const { records, rejected } = parseTraffic(text, progress.update);
  progress.done();
  if (rejected.length > 0) {
    io.err(`${path}: skipped ${rejected.length} invalid line(s):`);
    for (const r of rejected.slice(0, 5)) io.err(`  line ${r.line}: ${r.message}`);
  }
  if (records.length === 0) {
    io.err(`${path}: no requests to replay`);
    return undefined;
  }
  return records;
};

/** Parses argv for a replay command; a usage error is printed and `undefined` returned. */
export const parseReplayArgs = <T>(io: CliIo, usage: string, parse: () => T): T | undefined => {
  try {
    return parse();
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\nusage: ${usage}`);
    return undefined;
  }
};

export const percent = (share: number): string => `${(share * 100).toFixed(1)}%`;
