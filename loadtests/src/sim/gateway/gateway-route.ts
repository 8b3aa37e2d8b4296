import type { OutgoingHttpHeaders } from 'node:http';
import type { SimRequest, SimResponse } from '../http/sim-http.ts';

/** The gateway-shaped prefix the simulator answers on: `/gateway/v1/{account}/{gateway}/…`. */
export const GATEWAY_PREFIX = '/gateway/v1/';

/** The header the simulator marks a request that came through its gateway path with. */
export const GATEWAY_MARK_HEADER = 'x-sim-gateway';

/**
 * The simulator's own route for a gateway path: `openai/…` → `/openai/v1/…`, `workers-ai/…` →
 * Workers AI REST of that account, `custom-<name>/…` → the OpenAI-compatible server,
 * `aws-bedrock/bedrock-runtime/<region>/…` → Bedrock. Undefined for another shape.
 */
export const gatewayTarget = (path: string): { gateway: string; path: string } | undefined => {
  const [account, gateway, provider, ...rest] = path.slice(GATEWAY_PREFIX.length).split('/');
  if (account === undefined || gateway === undefined || provider === undefined) return undefined;
  const tail = rest.join('/');
  if (provider === 'openai') return { gateway, path: `/openai/v1/${tail}` };
  if (provider === 'workers-ai') {
    return { gateway, path: `/workers-ai/client/v4/accounts/${account}/ai/${tail}` };
  }
  if (provider.startsWith('custom-')) return { gateway, path: `/compat/v1/${tail}` };
  if (provider === 'aws-bedrock' && rest[0] === 'bedrock-runtime' && rest.length > 2) {
    return { gateway, path: `/bedrock/${rest.slice(2).join('/')}` };
  }
  return undefined;
};

/** The request as its provider route sees it: another URL, marked as having come by the gateway. */
export const viaGateway = (req: SimRequest, url: string, gateway: string): SimRequest => ({
  headers: { ...req.headers, [GATEWAY_MARK_HEADER]: gateway },
  method: req.method,
  url,
  resume: () => req.resume(),
  [Symbol.asyncIterator]: () => req[Symbol.asyncIterator](),
});

/**
 * The response with the gateway's cache status on it: `BYPASS` when the request said
 * `cf-aig-skip-cache: true`, else `MISS` (the simulator's gateway never answers from a cache).
 */
export const withCacheStatus = (res: SimResponse, req: SimRequest): SimResponse => {
  const status = req.headers['cf-aig-skip-cache'] === 'true' ? 'BYPASS' : 'MISS';
  return {
    get headersSent() {
      return res.headersSent;
    },
    get writableEnded() {
      return res.writableEnded;
    },
    get writableFinished() {
      return res.writableFinished;
    },
    get socket() {
      return res.socket;
    },
    writeHead: (code: number, headers?: OutgoingHttpHeaders) =>
      res.writeHead(code, { ...headers, 'cf-aig-cache-status': status }),
    ...(res.flushHeaders === undefined ? {} : { flushHeaders: () => res.flushHeaders?.() }),
    write: (chunk, callback) => res.write(chunk, callback),
    end: (chunk) => res.end(chunk),
    cork: () => res.cork(),
    uncork: () => res.uncork(),
    destroy: (error) => res.destroy(error),
    once: (event, listener) => res.once(event, listener),
  };
};
