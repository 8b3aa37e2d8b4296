import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { auditLogFromEnv } from './audit/audit-from-env.ts';
import type { RegionalApp, RegionalAppOptions } from './create-regional-app.ts';
import { answerClientError } from './http/client-error.ts';
import { lazyHonoListener } from './http/front/lazy-hono-listener.ts';
import { nodeHandler } from './http/front/node-handler.ts';
import { preloadSdks } from './providers/sdk/sdks.ts';
import { createLiveRegional, type LiveRegional } from './reload/live-regional.ts';
import type { LiveConfig } from './reload/load-live-config.ts';
import { stateFailureLog } from './state/failure-log.ts';
import { createRegionalState } from './state/state-from-config.ts';

export type RegionalServerOptions = RegionalAppOptions & {
  /** 0 picks a free port (tests). Default 8788. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** A canary: this share of chat traffic is decided by the candidate config. */
  candidate?: LiveConfig['candidate'];
};

export type RegionalServer = {
  url: string;
  port: number;
  /** Stops accepting, ends open connections (streams included) and stops the breakers. */
  close(): Promise<void>;
  /** The app of the stable config now: its breakers, upstreams and metrics (operators, tests). */
  readonly regional: RegionalApp;
  /** The configs being served, replaceable while the server runs (hot reload, canary). */
  live: LiveRegional;
  /** The audit log the apps write to, if any (config changes are audited there too). */
  audit: RegionalAppOptions['audit'];
};

const listen = (server: Server, port: number, host: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const why =
        error.code === 'EADDRINUSE'
          ? 'is already in use'
          : `cannot be used (${error.code ?? error.message})`;
      reject(new Error(`regional: port ${port} on ${host} ${why}`, { cause: error }));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });

/** Starts the regional service (node:http, Hono for the slow routes) and resolves once it listens. */
export const startRegionalServer = async (
  options: RegionalServerOptions,
): Promise<RegionalServer> => {
  const host = options.host ?? '127.0.0.1';
  const env = options.env ?? process.env;
  // The config's `state` (memory, or Redis for many replicas), read once: a reload keeps it.
  const ownState = options.state === undefined;
  const state = options.state ?? (await createRegionalState(options.config.state, env));
  if (ownState && options.log) state.failures.listen(stateFailureLog(options.log));
  const audit =
    options.audit ??
    (await auditLogFromEnv(
      env,
      (error) =>
        options.log?.({
          ts: new Date().toISOString(),
          level: 'error',
          msg: 'audit write failed',
          error: error instanceof Error ? error.message : String(error),
        }),
      state.auditHead,
    ));
  const { candidate, port: _port, host: _host, config, ...rest } = options;
  const shared = { ...rest, state };
  await preloadSdks({ config, candidate });
  const live = createLiveRegional({ ...shared, audit, live: { config, candidate } });
  // Chat, models and the health check on Node's own request and response; Hono (through its
  // adapter, imported on first use) for the rest.
  const server = createServer(nodeHandler(live.serve, lazyHonoListener(live.fetch)));
  // Streams can run for minutes; Node's default request timeout would cut them at 5.
  server.requestTimeout = 0;
  server.on('clientError', answerClientError);
  server.on('request', (_req, res) => {
    live.metrics.trackInFlight(1);
    res.once('close', () => live.metrics.trackInFlight(-1));
  });
  let port: number;
  try {
    port = await listen(server, options.port ?? 8788, host);
  } catch (error) {
    live.close();
    if (ownState) await state.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    get regional() {
      return live.current().stable;
    },
    live,
    audit,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Idle keep-alive sockets and in-flight streams alike: close must never hang.
        server.closeAllConnections();
      })
        .then(() => audit?.flush())
        .finally(() => live.close())
        .finally(() => (ownState ? state.close() : undefined));
      return closing;
    },
  };
};
