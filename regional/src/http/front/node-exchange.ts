import type { IncomingMessage, ServerResponse } from 'node:http';
import { createBodyReader, RouterError } from '@switchback/router-core';
import { tooSlow } from '../read-body.ts';
import { type Exchange, type HeaderView, once, type Reply } from './exchange.ts';

/** `Headers.get` over Node's raw headers: case-insensitive, repeated values joined by ", ". */
const rawHeaderView = (raw: readonly string[]): HeaderView => ({
  get(name) {
    const wanted = name.toLowerCase();
    let value: string | null = null;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      // Lengths first: most names differ in length, and lower-casing one allocates a string.
      const candidate = raw[i] as string;
      if (candidate.length !== wanted.length || candidate.toLowerCase() !== wanted) continue;
      const next = raw[i + 1] ?? '';
      value = value === null ? next : `${value}, ${next}`;
    }
    return value;
  },
});

const gone = (): RouterError =>
  new RouterError('invalid_request', 'The client closed the connection before its body arrived.');

/**
 * A body that has all arrived already (a small one comes with the headers, and Node has parsed
 * it by the time the request is read): taken off the stream's buffer at once, without a deadline
 * timer or listeners. Undefined when some of it is still to come.
 */
const arrivedBody = (
  req: IncomingMessage,
  reader: ReturnType<typeof createBodyReader>,
): string | undefined => {
  const length = Number(req.headers['content-length']);
  // `complete` comes a turn later than the bytes: a declared length all buffered is the body.
  const buffered = req.complete || (length > 0 && req.readableLength >= length);
  if (!buffered || req.readableDidRead) return undefined;
  for (let chunk: Buffer | null = req.read(); chunk !== null; chunk = req.read())
    reader.push(chunk);
  // Let the stream run to its end (nothing is left to read), as a consumed request does.
  req.resume();
  return reader.end();
};

/** The body of Node's request through router-core's reader, with an arrival deadline. */
const readBody = (req: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<string> =>
  new Promise((resolve, reject) => {
    let reader: ReturnType<typeof createBodyReader>;
    try {
      reader = createBodyReader(maxBytes, req.headers['content-length']);
      const arrived = arrivedBody(req, reader);
      if (arrived !== undefined) {
        resolve(arrived);
        return;
      }
    } catch (error) {
      reject(error);
      return;
    }
    const settle = (error: unknown, text?: string) => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', settle);
      req.off('close', onClose);
      if (text === undefined) reject(error);
      else resolve(text);
    };
    // The rest of a refused body is read and dropped by Node once the answer is written.
    const onData = (chunk: Buffer) => {
      try {
        reader.push(chunk);
      } catch (error) {
        settle(error);
      }
    };
    const onEnd = () => {
      try {
        settle(undefined, reader.end());
      } catch (error) {
        settle(error);
      }
    };
    const onClose = () => settle(gone());
    const timer = setTimeout(() => settle(tooSlow(timeoutMs)), Math.max(0, timeoutMs));
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', settle);
    req.once('close', onClose);
  });

/** The path of a request target, without its query. */
export const pathOf = (url: string): string => {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
};

/** Node's own request as an exchange: no web `Request`, headers read where Node keeps them. */
export const nodeExchange = (req: IncomingMessage, res: ServerResponse): Exchange => {
  const url = req.url ?? '/';
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return {
    method: req.method ?? 'GET',
    path: pathOf(url),
    target: url,
    headers: rawHeaderView(req.rawHeaders),
    signal: controller.signal,
    body: once((maxBytes: number, timeoutMs: number) => readBody(req, maxBytes, timeoutMs)),
  };
};

/** Resolves once the socket takes more, or the response is gone. */
const drained = (res: ServerResponse): Promise<void> =>
  new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });

/** Writes a reply on Node's response; a stream is written as its source gives it. */
export const writeReply = async (res: ServerResponse, reply: Reply): Promise<void> => {
  switch (reply.kind) {
    case 'body': {
      // Encoded once (its length is the bytes'), written with its headers in one call; the
      // reply's headers are its own, so the length goes in them rather than in a copy.
      const body = Buffer.from(reply.body);
      reply.headers['content-length'] = String(body.byteLength);
      res.writeHead(reply.status, reply.headers);
      res.end(body);
      return;
    }
    case 'web': {
      const body = Buffer.from(await reply.response.arrayBuffer());
      res.writeHead(reply.response.status, Object.fromEntries(reply.response.headers));
      res.end(body);
      return;
    }
    case 'sse': {
      const { source } = reply;
      let closed = false;
      res.once('close', () => {
        if (res.writableFinished) return;
        closed = true;
        void source.cancel();
      });
      res.writeHead(200, reply.headers);
      if (source.first !== undefined) res.write(source.first);
      for (;;) {
        const bytes = await source.next();
        if (bytes === null || closed) break;
        if (!res.write(bytes)) await drained(res);
      }
      if (!closed) res.end();
    }
  }
};
