import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProxyStats = {
  /** Requests answered by each upstream, by its URL. */
  served: Map<string, number>;
  /** 502s: a request that reached an upstream which then went away before answering. */
  failedInFlight: Map<string, number>;
};

export type RoundRobinProxy = {
  url: string;
  stats: ProxyStats;
  /** Requests being proxied to `upstream` right now. */
  inFlight(upstream: string): number;
  /** Requests sent to `upstream` so far. */
  sent(upstream: string): number;
  close(): Promise<void>;
};

const refused = (error: NodeJS.ErrnoException) =>
  error.code === 'ECONNREFUSED' || error.code === 'EHOSTUNREACH';

/**
 * A small load balancer for tests: round robin over `upstreams`, keep-alive, bodies piped. An
 * upstream that refuses the connection is taken out and the request goes to the next one (what
 * Envoy or nginx do on a connect failure); one that fails after taking the request answers 502,
 * since the request may have run. Nothing is retried after it reached an upstream.
 */
export const startRoundRobinProxy = async (upstreams: string[]): Promise<RoundRobinProxy> => {
  const live = [...upstreams];
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  const stats: ProxyStats = { served: new Map(), failedInFlight: new Map() };
  const inFlight = new Map<string, number>();
  const sent = new Map<string, number>();
  let next = 0;
  const bump = (map: Map<string, number>, key: string, by = 1) =>
    map.set(key, (map.get(key) ?? 0) + by);

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const attempt = (tries: number) => {
        const upstream = live[next++ % live.length];
        if (upstream === undefined || tries > upstreams.length) {
          res.writeHead(503).end('no upstream');
          return;
        }
        const target = new URL(req.url ?? '/', upstream);
        bump(inFlight, upstream);
        bump(sent, upstream);
        let done = false;
        const finish = () => {
          if (!done) bump(inFlight, upstream, -1);
          done = true;
        };
        const out = request(
          target,
          { method: req.method, headers: req.headers, agent },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
            answer.on('end', () => {
              finish();
              bump(stats.served, upstream);
            });
            answer.on('error', () => {
              finish();
              bump(stats.failedInFlight, upstream);
              res.destroy();
            });
          },
        );
        out.on('error', (error: NodeJS.ErrnoException) => {
          finish();
          if (refused(error)) {
            const at = live.indexOf(upstream);
            if (at !== -1) live.splice(at, 1);
            attempt(tries + 1);
            return;
          }
          bump(stats.failedInFlight, upstream);
          if (!res.headersSent) res.writeHead(502).end('upstream went away');
          else res.destroy();
        });
        out.end(body);
      };
      attempt(0);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stats,
    inFlight: (upstream) => inFlight.get(upstream) ?? 0,
    sent: (upstream) => sent.get(upstream) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
};
