import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { type BodyReader, bodyReader } from './body-reader.ts';

/** An answer in Node's own types: no web `Response`, `Headers` or `ReadableStream` to build. */
export type UpstreamReply = {
  status: number;
  headers: { get(name: string): string | null };
  /** The body as it arrives; leaving the loop early does not end the connection (see `release`). */
  readonly body: AsyncIterable<Uint8Array>;
  /**
   * The body pulled one read at a time (whatever arrived since the last, in one piece; `null` at
   * its end): the streaming hot path, without an async iterator. Not mixed with `body`/`text`.
   */
  read(): Promise<Uint8Array | null>;
  /** The whole body as text. */
  text(): Promise<string>;
  /**
   * The whole body's bytes, read off Node's events (no async iterator); `onChunk` sees each piece
   * as it arrives (a deadline on the first bytes). Rejects when the connection ends before the body.
   */
  collect(onChunk?: (chunk: Buffer) => void): Promise<Buffer>;
  /**
   * Done with the body: `reuse` reads what is left (an SSE stream's last bytes after `[DONE]`)
   * so the connection goes back to the pool; otherwise the connection is closed.
   */
  release(reuse: boolean): void;
};

/** One POST over the pool: the hot path's transport (providers/direct-wire.ts). */
export type UpstreamPost = (
  url: URL,
  request: { headers: Record<string, string>; body: string; signal: AbortSignal },
) => Promise<UpstreamReply>;

/** A `fetch` over a connection pool of this provider's own, and the way to close it. */
export type UpstreamPool = {
  fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  post: UpstreamPost;
  /** Destroys every connection, idle or busy. */
  close(): void;
};

export type PoolOptions = {
  /**
   * Connections per origin (default: no limit). A limit queues requests inside the router,
   * where their TTFT budget runs out unseen: 512 concurrent streams through a limit of 256 left
   * a third of them unfinished in the benchmark. A provider's concurrency is the quota's business.
   */
  maxSockets?: number;
  /** An idle keep-alive connection is closed after this long (default 30 s). */
  idleTimeoutMs?: number;
};

const abortError = (signal: AbortSignal): Error =>
  signal.reason instanceof Error
    ? signal.reason
    : new DOMException('The upstream call was aborted.', 'AbortError');

const bodyOf = (body: RequestInit['body']): string | Uint8Array | undefined => {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  // The SDKs send chat requests as JSON strings; anything else is a programming error here.
  throw new TypeError('pooled fetch sends string or byte bodies only');
};

const responseOf = (res: IncomingMessage, method: string): Response => {
  const headers = new Headers();
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
    headers.append(res.rawHeaders[i] as string, res.rawHeaders[i + 1] as string);
  }
  const status = res.statusCode ?? 502;
  const empty = method === 'HEAD' || status === 204 || status === 304;
  if (empty) res.resume();
  const body = empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
  return new Response(body, { status, statusText: res.statusMessage ?? '', headers });
};

/** Whether a header name has no upper-case letter (what the fast path of `rawHeaders` takes). */
const lowerCase = (name: string): boolean => {
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code >= 65 && code <= 90) return false;
  }
  return true;
};

/**
 * A request's headers as Node's flat list, with the host and length Node would have added; names
 * that differ only in case are one header, the last value winning, as `setHeader` has it.
 */
const rawHeaders = (
  host: string,
  headers: Record<string, string>,
  body: string | Uint8Array | undefined,
): string[] => {
  const length =
    body === undefined
      ? undefined
      : typeof body === 'string'
        ? Buffer.byteLength(body)
        : body.byteLength;
  // The usual case, names already lower-case (so each is one header) and neither host nor length.
  const out = ['host', host];
  for (const name in headers) {
    if (!lowerCase(name) || name === 'host' || name === 'content-length') {
      return namedHeaders(host, headers, length);
    }
    out.push(name, headers[name] as string);
  }
  if (length !== undefined) out.push('content-length', String(length));
  return out;
};

/** `rawHeaders` for any names: folded by their lower case, the last value winning. */
const namedHeaders = (
  host: string,
  headers: Record<string, string>,
  length: number | undefined,
): string[] => {
  const named = new Map<string, readonly [string, string]>();
  named.set('host', ['host', host]);
  for (const name in headers) named.set(name.toLowerCase(), [name, headers[name] as string]);
  if (!named.has('content-length') && length !== undefined) {
    named.set('content-length', ['content-length', String(length)]);
  }
  const out: string[] = [];
  for (const [name, value] of named.values()) out.push(name, value);
  return out;
};

/**
 * What a request needs of its URL, read once per URL object: a provider's URL is made once and
 * never changed (URL's getters build a string on every read).
 */
type Target = {
  secure: boolean;
  protocol: string;
  hostname: string;
  port: string;
  host: string;
  path: string;
};
const targets = new WeakMap<URL, Target>();
const targetOf = (url: URL): Target => {
  let target = targets.get(url);
  if (target === undefined) {
    target = {
      secure: url.protocol === 'https:',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port,
      host: url.host,
      path: `${url.pathname}${url.search}`,
    };
    targets.set(url, target);
  }
  return target;
};

/**
 * `fetch` over node:http with a keep-alive agent per provider. Why not the global fetch: its
 * pool is shared by everything in the process and cannot be closed with the service, and after
 * an aborted stream it reconnects and leaves the fresh connection idle with no timeout (undici
 * 7.x as bundled with Node 24), so every client that walks away would cost an open socket. Here
 * an abort destroys its connection and nothing else; idle connections time out; `close()` ends
 * them all. No compression is asked for, so SSE arrives as the provider writes it.
 */
export const createUpstreamPool = (options: PoolOptions = {}): UpstreamPool => {
  const agentOptions = {
    keepAlive: true,
    maxSockets: options.maxSockets ?? Number.POSITIVE_INFINITY,
    // On an agent, `timeout` closes sockets idling in the pool; busy ones are the caller's.
    timeout: options.idleTimeoutMs ?? 30_000,
    scheduling: 'lifo' as const,
  };
  const http = new HttpAgent(agentOptions);
  const https = new HttpsAgent(agentOptions);

  /**
   * Sends one request over the pool; an abort destroys its connection and nothing else. With
   * `raw`, the headers go as one list (host and content-length included), which Node writes
   * after checking each value but without a `setHeader` per header: the hot path's POST.
   */
  const send = (
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: string | Uint8Array | undefined,
    signal: AbortSignal | undefined,
    raw = false,
  ): Promise<IncomingMessage> =>
    new Promise<IncomingMessage>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortError(signal));
        return;
      }
      const target = raw ? targetOf(url) : undefined;
      const secure = target === undefined ? url.protocol === 'https:' : target.secure;
      const agent = secure ? https : http;
      const req =
        target !== undefined
          ? (secure ? httpsRequest : httpRequest)({
              protocol: target.protocol,
              hostname: target.hostname,
              port: target.port,
              path: target.path,
              method,
              headers: rawHeaders(target.host, headers, body),
              agent,
            })
          : (secure ? httpsRequest : httpRequest)(url, { method, headers, agent });
      const onAbort = () => req.destroy(abortError(signal as AbortSignal));
      signal?.addEventListener('abort', onAbort, { once: true });
      const release = () => signal?.removeEventListener('abort', onAbort);
      // `on`, not `once`: a second error after the first must not go unhandled.
      req.on('error', (error) => {
        release();
        reject(error);
      });
      req.once('response', (res) => {
        res.once('close', release);
        resolve(res);
      });
      req.end(body);
    });

  const post: UpstreamPost = async (url, request) => {
    const res = await send(url, 'POST', request.headers, request.body, request.signal, true);
    let reader: BodyReader | undefined;
    return {
      status: res.statusCode ?? 502,
      headers: {
        get(name) {
          const value = res.headers[name.toLowerCase()];
          return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
        },
      },
      get body() {
        return res.iterator({ destroyOnReturn: false });
      },
      read() {
        reader ??= bodyReader(res);
        return reader.read();
      },
      async text() {
        const chunks: Buffer[] = [];
        for await (const chunk of res) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks).toString('utf8');
      },
      collect(onChunk) {
        return new Promise<Buffer>((resolve, reject) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => {
            chunks.push(chunk);
            onChunk?.(chunk);
          });
          // One read (a small answer) is taken as it is, without a copy.
          res.once('end', () => {
            const [only] = chunks;
            resolve(chunks.length === 1 && only ? only : Buffer.concat(chunks));
          });
          res.once('error', reject);
          // An abort (deadline, client gone) or a reset ends the body without 'end'.
          res.once('close', () => {
            if (!res.complete) reject(new Error('The upstream connection closed mid-answer.'));
          });
        });
      },
      release(reuse) {
        reader?.detach();
        if (reuse) res.resume();
        else res.destroy();
      },
    };
  };

  const pooledFetch = (
    input: string | URL | Request,
    init: RequestInit = {},
  ): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const method = (init.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const headers = new Headers(
      init.headers ?? (input instanceof Request ? input.headers : undefined),
    );
    headers.delete('accept-encoding');
    const body = bodyOf(init.body);
    return send(url, method, Object.fromEntries(headers), body, init.signal ?? undefined).then(
      (res) => responseOf(res, method),
    );
  };

  return {
    fetch: pooledFetch,
    post,
    close() {
      http.destroy();
      https.destroy();
    },
  };
};
