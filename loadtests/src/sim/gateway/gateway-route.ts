import type { OutgoingHttpHeaders } from 'node:http';
import { bedrockErrors } from '../bedrock/bedrock-errors.ts';
import { readBody } from '../http/read-body.ts';
import type { SimRequest, SimResponse } from '../http/sim-http.ts';
import { type CachedAnswer, GatewayCache } from './gateway-cache.ts';
import { verifySigV4 } from './verify-sigv4.ts';

/** The gateway-shaped prefix the simulator answers on: `/gateway/v1/{account}/{gateway}/…`. */
export const GATEWAY_PREFIX = '/gateway/v1/';

/** The header the simulator marks a request that came through its gateway path with. */
export const GATEWAY_MARK_HEADER = 'x-sim-gateway';

/** The header the gateway marks a Bedrock call with: whether its SigV4 holds (`valid`, `unchecked`). */
export const SIGV4_MARK_HEADER = 'x-sim-sigv4';

/** Where a gateway hop goes: the simulator's route, and for Bedrock the AWS URL it stands for. */
export type GatewayHopTarget = {
  gateway: string;
  path: string;
  /** Bedrock's own host and path, which the call must be signed for. */
  aws?: { hostname: string; path: string };
};

/**
 * The simulator's own route for a gateway path: `openai/…` → `/openai/v1/…`, `workers-ai/…` →
 * Workers AI REST of that account, `custom-<name>/…` → the OpenAI-compatible server,
 * `aws-bedrock/bedrock-runtime/<region>/…` → Bedrock. Undefined for another shape.
 */
export const gatewayTarget = (path: string): GatewayHopTarget | undefined => {
  const [account, gateway, provider, ...rest] = path.slice(GATEWAY_PREFIX.length).split('/');
  if (account === undefined || gateway === undefined || provider === undefined) return undefined;
  const tail = rest.join('/');
  if (provider === 'openai') return { gateway, path: `/openai/v1/${tail}` };
  if (provider === 'workers-ai') {
    return { gateway, path: `/workers-ai/client/v4/accounts/${account}/ai/${tail}` };
  }
  if (provider.startsWith('custom-')) return { gateway, path: `/compat/v1/${tail}` };
  if (provider === 'aws-bedrock' && rest[0] === 'bedrock-runtime' && rest.length > 2) {
    const awsPath = `/${rest.slice(2).join('/')}`;
    return {
      gateway,
      path: `/bedrock${awsPath}`,
      aws: { hostname: `bedrock-runtime.${rest[1]}.amazonaws.com`, path: awsPath },
    };
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

/** What the simulator's gateway says of its cache (`cf-aig-cache-status`). */
export type SimCacheStatus = 'HIT' | 'MISS' | 'BYPASS';

/** The response with the gateway's cache status on it; `onEnd` is told the whole answer. */
const withCacheStatus = (
  res: SimResponse,
  status: SimCacheStatus,
  onEnd?: (answer: CachedAnswer) => void,
): SimResponse => {
  let head: { status: number; headers: OutgoingHttpHeaders } | undefined;
  const chunks: Buffer[] = [];
  const keep = (chunk: string | Uint8Array | undefined) => {
    if (onEnd !== undefined && chunk !== undefined) chunks.push(Buffer.from(chunk));
  };
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
    writeHead: (code: number, headers?: OutgoingHttpHeaders) => {
      head = { status: code, headers: headers ?? {} };
      return res.writeHead(code, { ...headers, [GATEWAY_CACHE_STATUS]: status });
    },
    ...(res.flushHeaders === undefined ? {} : { flushHeaders: () => res.flushHeaders?.() }),
    write: (chunk, callback) => {
      keep(chunk);
      return res.write(chunk, callback);
    },
    end: (chunk) => {
      keep(chunk);
      if (head !== undefined) onEnd?.({ ...head, body: Buffer.concat(chunks) });
      return res.end(chunk);
    },
    cork: () => res.cork(),
    uncork: () => res.uncork(),
    destroy: (error) => res.destroy(error),
    once: (event, listener) => res.once(event, listener),
  };
};

const GATEWAY_CACHE_STATUS = 'cf-aig-cache-status';
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding']);

/** A request whose body was read already: it is read again from `body`. */
const withBody = (
  req: SimRequest,
  body: Buffer,
  headers: Record<string, string> = {},
): SimRequest => ({
  headers: { ...req.headers, ...headers },
  method: req.method,
  url: req.url,
  resume: () => undefined,
  async *[Symbol.asyncIterator]() {
    if (body.length > 0) yield body;
  },
});

const header = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value.join(',') : value;

/**
 * A Bedrock call through the gateway, checked as AWS will check it once the gateway forwards it
 * to `aws` (the signed headers passed on, AWS's own host): a signature that does not hold is
 * refused with 403 InvalidSignatureException, as AWS would; else the call goes on, marked.
 */
export const checkedBedrockCall = async (
  req: SimRequest,
  res: SimResponse,
  aws: { hostname: string; path: string },
): Promise<SimRequest | undefined> => {
  const body = await readBody(req);
  const check = body.ok
    ? await verifySigV4(
        { method: req.method ?? 'POST', headers: req.headers, body: body.value },
        aws,
      )
    : ({ kind: 'invalid', why: body.error } as const);
  if (check.kind === 'invalid') {
    bedrockErrors.send(
      res,
      403,
      `The request signature we calculated does not match: ${check.why}`,
      {
        'x-amzn-errortype':
          'InvalidSignatureException:http://internal.amazon.com/coral/com.amazon.coral.service/',
      },
    );
    return undefined;
  }
  return withBody(req, body.ok ? body.value : Buffer.alloc(0), { [SIGV4_MARK_HEADER]: check.kind });
};

/**
 * One request through the simulator's AI Gateway: with `cf-aig-skip-cache: true` it goes to its
 * provider route (`BYPASS`); with a `cf-aig-cache-ttl` (seconds) an identical request (same path,
 * credential and body) within the TTL is answered from the cache (`HIT`, the provider never sees
 * it), else it goes on and a 200 answer is kept for the next (`MISS`). Without a TTL nothing is
 * cached (`MISS`).
 */
export const throughGateway = async (
  cache: GatewayCache,
  req: SimRequest,
  res: SimResponse,
  hop: { path: string; url: string; gateway: string },
  forward: (req: SimRequest, res: SimResponse) => Promise<void> | void,
): Promise<void> => {
  const routed = viaGateway(req, hop.url, hop.gateway);
  if (header(req.headers['cf-aig-skip-cache']) === 'true') {
    return forward(routed, withCacheStatus(res, 'BYPASS'));
  }
  const ttlSeconds = Number(header(req.headers['cf-aig-cache-ttl']));
  if (!(ttlSeconds > 0)) return forward(routed, withCacheStatus(res, 'MISS'));
  const body = await readBody(req);
  if (!body.ok) return forward(withBody(routed, Buffer.alloc(0)), withCacheStatus(res, 'MISS'));
  const key = GatewayCache.key(hop.path, header(req.headers.authorization), body.value);
  const hit = cache.get(key, Date.now());
  if (hit !== undefined) {
    res.writeHead(hit.status, { ...hit.headers, [GATEWAY_CACHE_STATUS]: 'HIT' });
    res.end(hit.body);
    return;
  }
  const keep = (answer: CachedAnswer) => {
    if (answer.status !== 200) return;
    // Connection headers are the connection's, not the answer's (HTTP/2 refuses them).
    const headers = Object.fromEntries(
      Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())),
    );
    cache.set(key, { ...answer, headers }, ttlSeconds * 1000, Date.now());
  };
  return forward(withBody(routed, body.value), withCacheStatus(res, 'MISS', keep));
};
