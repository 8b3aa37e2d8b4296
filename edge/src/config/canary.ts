import { decidedByCandidate, parseConfig, type RouterConfig } from '@switchback/router-core';

/** What an isolate serves for one config: its app and, during a canary, the candidate's. */
export type CanaryApps<App> = {
  stable: App;
  candidate?: { app: App; version: string; percent: number };
  /** Decides which app serves a request: sticky per session (else request id), as at regional. */
  pick(headers: { get(name: string): string | null }): App;
};

/**
 * The apps of a config from KV: with `rollout: {candidate, percent}` whose candidate is a config
 * inline (the edge reads no files) and valid, that share of sessions is served by the
 * candidate's app. A candidate that is a path or invalid is refused (`onRefused`) and the config
 * serves alone.
 */
export const canaryApps = <App>(
  config: RouterConfig,
  build: (config: RouterConfig) => App,
  onRefused: (reason: string) => void = () => {},
): CanaryApps<App> => {
  const stable = build(config);
  const alone: CanaryApps<App> = { stable, pick: () => stable };
  const rollout = config.rollout;
  if (rollout === undefined) return alone;
  if (typeof rollout.candidate === 'string') {
    onRefused(`rollout.candidate is a path (${rollout.candidate}); the edge takes it inline only`);
    return alone;
  }
  const parsed = parseConfig(rollout.candidate);
  if (!parsed.ok) {
    const issues = parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    onRefused(`rollout.candidate is not a valid config: ${issues}`);
    return alone;
  }
  const app = build(parsed.config);
  const { percent } = rollout;
  return {
    stable,
    candidate: { app, version: parsed.config.version, percent },
    pick: (headers) => (decidedByCandidate(headers, percent) ? app : stable),
  };
};
