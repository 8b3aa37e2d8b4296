import type { RouterConfig } from '@switchback/router-core';
import { createApp } from './app.ts';
import { type CanaryApps, canaryApps } from './config/canary.ts';
import { loadConfig } from './config/index.ts';
import { createKvConfig, type KvConfig } from './config/kv-config.ts';

export type App = ReturnType<typeof createApp>;
const build = (config: RouterConfig): App => createApp({ config });
const canaryRefused = (reason: string) =>
  console.error(JSON.stringify({ level: 'error', msg: 'canary refused', reason }));

const bundled = loadConfig();
let served: { config: RouterConfig; apps: CanaryApps<App> } = {
  config: bundled,
  apps: canaryApps(bundled, build, canaryRefused),
};
let source: KvConfig | undefined;

/**
 * The config served now and its apps: from KV (`CONFIG`, key `router-config`) when it holds a
 * valid one, else the bundled one. A request runs to its end on the app of the config it started
 * with; a config with an inline `rollout.candidate` serves that share of sessions from the
 * candidate's app. The Worker's requests and its background runs are served by the same apps.
 */
export const servedApps = async (
  env: Env,
  ctx: { waitUntil(promise: Promise<unknown>): void },
): Promise<{ config: RouterConfig; apps: CanaryApps<App> }> => {
  source ??= createKvConfig({
    kv: env.CONFIG,
    bundled,
    onRefused: (reason) =>
      console.error(JSON.stringify({ level: 'error', msg: 'config from KV refused', reason })),
  });
  const { config } = await source.get((promise) => ctx.waitUntil(promise));
  if (config !== served.config) {
    served = { config, apps: canaryApps(config, build, canaryRefused) };
    console.log(
      JSON.stringify({ level: 'info', msg: 'config from KV', config_version: config.version }),
    );
  }
  return served;
};
