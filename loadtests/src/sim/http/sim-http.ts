import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/**
 * What the routes use of a request: the common part of HTTP/1.1's IncomingMessage and HTTP/2's
 * Http2ServerRequest (the Bedrock SDK talks HTTP/2, everything else HTTP/1.1).
 */
export interface SimRequest extends AsyncIterable<unknown> {
  readonly headers: IncomingHttpHeaders;
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  resume(): unknown;
}

/** The common part of HTTP/1.1's ServerResponse and HTTP/2's Http2ServerResponse. */
export interface SimResponse {
  readonly headersSent: boolean;
  readonly writableEnded: boolean;
  readonly writableFinished: boolean;
  readonly socket: { readonly destroyed: boolean } | null | undefined;
  writeHead(status: number, headers?: OutgoingHttpHeaders): unknown;
  // Optional only because @types/node omits it on Http2ServerResponse; Node has it on both.
  flushHeaders?(): void;
  write(chunk: string | Uint8Array, callback?: (error?: Error | null) => void): boolean;
  end(chunk?: string | Uint8Array): unknown;
  cork(): void;
  uncork(): void;
  destroy(error?: Error): unknown;
  once(event: 'close', listener: () => void): unknown;
}
