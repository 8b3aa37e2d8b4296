import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { AuditLog, ConfigIssue } from '@switchback/router-core';
import type { CliIo } from '../cli/cli-io.ts';
import type { LogSink } from '../http/finish-request.ts';
import { preloadSdks } from '../providers/sdk/sdks.ts';
import type { LiveRegional } from './live-regional.ts';
import { loadLiveConfig } from './load-live-config.ts';

export type ReloadTrigger = 'file' | 'sighup' | 'manual';

export type ReloadResult =
  | { ok: true; from: string; to: string }
  | { ok: false; version: string; issues: ConfigIssue[] };

export type ConfigReloaderOptions = {
  path: string;
  io: CliIo;
  live: LiveRegional;
  operator: string;
  /** Digest of the file the service started with. */
  sha256: string;
  providersUrl?: string | undefined;
  log?: LogSink | undefined;
  audit?: AuditLog | undefined;
  /** Quiet time after a file event before reading (editors write in several steps). */
  debounceMs?: number;
};

export type ConfigReloader = {
  /** Re-reads the file; the new config replaces the running one only if it is valid. */
  reload(trigger: ReloadTrigger): Promise<ReloadResult>;
  /** Reloads on changes to the file and on SIGHUP until `stop()`. */
  watch(): void;
  stop(): void;
};

const versionOf = (live: LiveRegional): string => {
  const g = live.current();
  return g.candidate === undefined
    ? g.stableVersion
    : `${g.stableVersion}+${g.candidate.version}@${g.candidate.percent}%`;
};

/**
 * Hot reload of the regional config: validated first, a bad file never replaces a good config
 * (the reason is logged), and each change is logged and audited with the operator's identity.
 */
export const createConfigReloader = (options: ConfigReloaderOptions): ConfigReloader => {
  const { path, io, live, operator, log, audit } = options;
  let sha256 = options.sha256;
  let chain: Promise<unknown> = Promise.resolve();
  let watcher: FSWatcher | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const record = (entry: Record<string, unknown>) =>
    log?.({ ts: new Date().toISOString(), ...entry });

  const reloadOnce = async (trigger: ReloadTrigger): Promise<ReloadResult> => {
    const from = versionOf(live);
    const loaded = await loadLiveConfig(io, path, options.providersUrl);
    if (!loaded.ok) {
      record({
        level: 'error',
        msg: 'config reload refused',
        trigger,
        config: path,
        config_version: from,
        operator,
        issues: loaded.issues.map((i) => `${i.path}: ${i.message}`),
      });
      return { ok: false, version: from, issues: loaded.issues };
    }
    if (loaded.sha256 === sha256) return { ok: true, from, to: from };
    // A provider kind new to this config gets its SDK before the config takes traffic.
    await preloadSdks(loaded.live);
    live.replace(loaded.live);
    const to = versionOf(live);
    const previous = sha256;
    sha256 = loaded.sha256;
    record({
      level: 'info',
      msg: 'config reloaded',
      trigger,
      config: path,
      from_version: from,
      config_version: to,
      operator,
      from_sha256: previous,
      to_sha256: sha256,
    });
    await audit?.append({
      type: 'config_change',
      ts: new Date().toISOString(),
      operator,
      action: `reload (${trigger})`,
      from_sha256: previous,
      to_sha256: sha256,
      summary: `${path}: ${from} -> ${to}`,
    });
    return { ok: true, from, to };
  };

  const onSighup = () => void reloader.reload('sighup');
  const reloader: ConfigReloader = {
    reload(trigger) {
      // One at a time: two quick edits must not race each other's validation.
      const next = chain.then(() => reloadOnce(trigger));
      chain = next.catch(() => {});
      return next;
    },
    watch() {
      process.on('SIGHUP', onSighup);
      // Watch the directory: editors and `mv` replace the file, which a file watch would lose.
      // A Kubernetes ConfigMap volume swaps its `..data` link instead: the file's name never shows.
      const name = basename(path);
      watcher = watch(dirname(path), { persistent: false }, (_event, changed) => {
        if (changed !== null && changed !== name && changed !== '..data') return;
        clearTimeout(timer);
        timer = setTimeout(() => void reloader.reload('file'), options.debounceMs ?? 100);
        timer.unref();
      });
      watcher.on('error', (error) =>
        record({ level: 'warn', msg: 'config watch failed', config: path, error: String(error) }),
      );
    },
    stop() {
      process.off('SIGHUP', onSighup);
      clearTimeout(timer);
      watcher?.close();
    },
  };
  return reloader;
};
