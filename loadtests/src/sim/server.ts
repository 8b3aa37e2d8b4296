import type { AddressInfo } from 'node:net';
import { GatewayCache } from './gateway/gateway-cache.ts';
import { createDualProtocolServer } from './http/dual-protocol-server.ts';
import { route } from './router.ts';
import { resolveTiming, type SimOptions } from './sim-options.ts';
import type { SimState } from './sim-state.ts';
import { FaultStore } from './state/fault-store.ts';
import { PrefixCache } from './state/prefix-cache.ts';
import { RequestLog } from './state/request-log.ts';
import { Stats } from './state/stats.ts';

export interface Simulator {
  /** Base URL, e.g. `http://127.0.0.1:8789` (append `/openai/v1`, `/bedrock`, …). */
  url: string;
  port: number;
  /** Stops listening and destroys open connections, so it never waits on a stalled stream. */
  close(): Promise<void>;
}

/** Starts the simulated providers on `host:port` (port 0 picks a free one). */
export const startSimulator = async (options: SimOptions = {}): Promise<Simulator> => {
  const state: SimState = {
    timing: resolveTiming(options),
    faults: new FaultStore(),
    stats: new Stats(),
    log: new RequestLog(),
    cache: new PrefixCache(),
    gatewayCache: new GatewayCache(),
  };
  const { server, destroyConnections } = createDualProtocolServer((req, res) => {
    const pending = route(state, req, res);
    if (pending) {
      pending.catch((error: unknown) => {
        // A bug, not a simulated fault: answer 500 if still possible, and say why.
        console.error('[sim] request failed:', error);
        if (res.headersSent) {
          res.destroy();
          return;
        }
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('simulator error');
      });
    }
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        destroyConnections();
      }),
  };
};
