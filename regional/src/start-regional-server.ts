import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { auditLogFromEnv } from './audit/audit-from-env.ts';
import {
  createRegionalApp,
  type RegionalApp,
  type RegionalAppOptions,
} from './create-regional-app.ts';

export type RegionalServerOptions = RegionalAppOptions & {
  /** 0 picks a free port (tests). Default 8788. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
};

export type RegionalServer = {
  url: string;
  port: number;
  /** Stops accepting, ends open connections (streams included) and stops the breakers. */
  close(): Promise<void>;
  /** The app behind the server: its breakers, upstreams and metrics (operators, tests). */
  regional: RegionalApp;
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

/** Starts the regional service (Hono on @hono/node-server) and resolves once it listens. */
export const startRegionalServer = async (
  options: RegionalServerOptions,
): Promise<RegionalServer> => {
  const host = options.host ?? '127.0.0.1';
  const audit =
    options.audit ??
    (await auditLogFromEnv(options.env ?? process.env, (error) =>
      options.log?.({
        ts: new Date().toISOString(),
        level: 'error',
        msg: 'audit write failed',
        error: error instanceof Error ? error.message : String(error),
      }),
    ));
  const regional = createRegionalApp({ ...options, audit });
  const server = createAdaptorServer({ fetch: regional.fetch }) as Server;
  // Streams can run for minutes; Node's default request timeout would cut them at 5.
  server.requestTimeout = 0;
  let port: number;
  try {
    port = await listen(server, options.port ?? 8788, host);
  } catch (error) {
    regional.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    regional,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Idle keep-alive sockets and in-flight streams alike: close must never hang.
        server.closeAllConnections();
      })
        .then(() => audit?.flush())
        .finally(() => regional.close());
      return closing;
    },
  };
};
