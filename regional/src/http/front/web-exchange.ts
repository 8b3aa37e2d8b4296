import { sseStream } from '../../serving/sse-body.ts';
import { readBodyText } from '../read-body.ts';
import { type Exchange, once, type Reply } from './exchange.ts';

/** A web `Request` as an exchange (`app.fetch`: tests, the Responses route's chat call). */
export const webExchange = (request: Request): Exchange => {
  const url = new URL(request.url);
  return {
    method: request.method,
    path: url.pathname,
    target: url.pathname + url.search,
    headers: request.headers,
    signal: request.signal,
    body: once((maxBytes: number, timeoutMs: number) => readBodyText(request, maxBytes, timeoutMs)),
  };
};

/** A reply as a web `Response`. */
export const toWebResponse = (reply: Reply): Response => {
  switch (reply.kind) {
    case 'body':
      return new Response(reply.body, { status: reply.status, headers: reply.headers });
    case 'sse':
      return new Response(sseStream(reply.source), { status: 200, headers: reply.headers });
    case 'web':
      return reply.response;
  }
};
