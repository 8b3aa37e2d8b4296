import { parseConfig, type RouterConfig } from '@switchback/router-core';

/** The KV key holding the config as JSON (`router.config.yaml` compiled, with its `version`). */
export const CONFIG_KV_KEY = 'router-config';

/** Where the config was taken from, for `/healthz` and logs. */
export type ConfigSource = 'kv' | 'bundled';

export type KvConfigOptions = {
  kv: KVNamespace | undefined;
  /** The config compiled into the bundle: served until KV holds a valid one. */
  bundled: RouterConfig;
  key?: string;
  /** How long an isolate keeps what it read before asking KV again. */
  ttlMs?: number;
  now?: () => number;
  /** Told why a KV value was refused (the bundled or last good config keeps serving). */
  onRefused?: (reason: string) => void;
};

export type KvConfig = {
  /**
   * The config to serve now: the last valid KV value, else the bundled one. The first call
   * waits for KV; later ones answer at once and refresh a stale copy in the background (kept
   * alive by `waitUntil`).
   */
  get(waitUntil?: (promise: Promise<unknown>) => void): Promise<{
    config: RouterConfig;
    source: ConfigSource;
  }>;
};

const DEFAULT_TTL_MS = 30_000;

/**
 * The edge config from KV with a version, checked with `parseConfig` and cached per isolate.
 * A missing, unreadable or invalid value never replaces a good config: the last valid one (or
 * the bundled one) keeps serving. A value with the version already served keeps the config
 * object, so the app built on it (and its breaker) lives on.
 */
export const createKvConfig = (options: KvConfigOptions): KvConfig => {
  const { kv, bundled } = options;
  const key = options.key ?? CONFIG_KV_KEY;
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  const now = options.now ?? Date.now;
  let current: { config: RouterConfig; source: ConfigSource } = {
    config: bundled,
    source: 'bundled',
  };
  let checkedAt = Number.NEGATIVE_INFINITY;
  let pending: Promise<void> | undefined;
  let lastRaw: string | undefined;

  const refresh = async (): Promise<void> => {
    if (kv === undefined) return;
    let raw: string | null;
    try {
      raw = await kv.get(key, 'text');
    } catch (error) {
      options.onRefused?.(
        `KV read failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      return;
    }
    if (raw === null || raw === lastRaw) return;
    lastRaw = raw;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      options.onRefused?.(`KV ${key} is not JSON`);
      return;
    }
    const parsed = parseConfig(json);
    if (!parsed.ok) {
      const issues = parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
      options.onRefused?.(`KV ${key} is not a valid config: ${issues}`);
      return;
    }
    if (current.source === 'kv' && parsed.config.version === current.config.version) return;
    current = { config: parsed.config, source: 'kv' };
  };

  return {
    async get(waitUntil) {
      const first = checkedAt === Number.NEGATIVE_INFINITY;
      if (now() - checkedAt >= ttlMs) {
        checkedAt = now();
        pending ??= refresh().finally(() => {
          pending = undefined;
        });
        if (first) await pending;
        else waitUntil?.(pending);
      }
      return current;
    },
  };
};
