import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { type ConfigIssue, parseConfig, type RouterConfig } from '@switchback/router-core';
import type { CliIo } from '../cli/cli-io.ts';
import { loadConfigFile } from '../cli/load-config.ts';
import { rebaseLocalProviders } from '../config/rebase-local-providers.ts';

/** The configs a regional process serves: the stable one and, during a canary, the candidate. */
export type LiveConfig = {
  config: RouterConfig;
  candidate?: { config: RouterConfig; percent: number } | undefined;
};

export type LoadedLiveConfig =
  | { ok: true; live: LiveConfig; sha256: string }
  | { ok: false; issues: ConfigIssue[] };

const prefixed = (issues: ConfigIssue[], where: string): ConfigIssue[] =>
  issues.map((issue) => ({ path: `${where}${issue.path}`, message: issue.message }));

/**
 * Reads and validates a config file and, when it has `rollout`, its candidate (a path relative
 * to the file, or inline), validated in full as well. Local provider URLs are moved to
 * `providersUrl` when given. Nothing is returned unless everything is valid.
 */
export const loadLiveConfig = async (
  io: CliIo,
  path: string,
  providersUrl?: string,
): Promise<LoadedLiveConfig> => {
  let text = '';
  const hashing: CliIo = {
    ...io,
    readFile: async (file) => {
      text = await io.readFile(file);
      return text;
    },
  };
  const loaded = await loadConfigFile(hashing, path);
  if (!loaded.ok) return loaded;
  const sha256 = createHash('sha256').update(text).digest('hex');
  const rebase = (config: RouterConfig): RouterConfig =>
    providersUrl ? rebaseLocalProviders(config, providersUrl) : config;
  const { rollout } = loaded.config;
  if (rollout === undefined) return { ok: true, live: { config: rebase(loaded.config) }, sha256 };

  const candidate =
    typeof rollout.candidate === 'string'
      ? await loadConfigFile(io, resolve(dirname(path), rollout.candidate))
      : parseConfig(rollout.candidate);
  if (!candidate.ok) return { ok: false, issues: prefixed(candidate.issues, 'rollout.candidate.') };
  if (candidate.config.rollout !== undefined) {
    return {
      ok: false,
      issues: [
        {
          path: 'rollout.candidate.rollout',
          message: 'a candidate cannot roll out another config',
        },
      ],
    };
  }
  return {
    ok: true,
    live: {
      config: rebase(loaded.config),
      candidate: { config: rebase(candidate.config), percent: rollout.percent },
    },
    sha256,
  };
};
