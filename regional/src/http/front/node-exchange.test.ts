import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RouterError } from '@switchback/router-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { Exchange } from './exchange.ts';
import { nodeExchange, writeReply } from './node-exchange.ts';

let server: Server | undefined;
afterEach(
  () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
);

/** One request to a server whose handler sees the exchange; the answer's status and body. */
const exchangeOnce = async (
  handle: (ex: Exchange) => Promise<unknown>,
  send: { headers?: [string, string][]; body?: string },
): Promise<{ status: number; body: string }> => {
  server = createServer((req, res) => {
    const ex = nodeExchange(req, res);
    void handle(ex).then(
      (value) =>
        writeReply(res, { kind: 'body', status: 200, headers: {}, body: JSON.stringify(value) }),
      (error: unknown) =>
        writeReply(res, {
          kind: 'body',
          status: error instanceof RouterError ? error.status : 500,
          headers: {},
          body: error instanceof RouterError ? error.code : String(error),
        }),
    );
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = request({ port, host: '127.0.0.1', method: 'POST', path: '/v1/x?y=1' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    for (const [name, value] of send.headers ?? []) req.appendHeader(name, value);
    req.on('error', reject);
    req.end(send.body);
  });
};

describe("regional's node:http exchange", () => {
  it('reads headers as Headers does: any case, repeated values joined', async () => {
    const { body } = await exchangeOnce(
      async (ex) => [ex.headers.get('X-Tag'), ex.headers.get('x-none'), ex.path, ex.target],
      {
        headers: [
          ['x-tag', 'a'],
          ['X-Tag', 'b'],
        ],
      },
    );
    expect(JSON.parse(body)).toEqual(['a, b', null, '/v1/x', '/v1/x?y=1']);
  });

  it('reads the body once: a second read gets the same text', async () => {
    const { body } = await exchangeOnce(
      async (ex) => [await ex.body(1_000, 1_000), await ex.body(1, 0)],
      { body: '{"naïve":true}' },
    );
    expect(JSON.parse(body)).toEqual(['{"naïve":true}', '{"naïve":true}']);
  });

  it('refuses a body over the limit and still answers', async () => {
    const answer = await exchangeOnce((ex) => ex.body(8, 1_000), { body: 'x'.repeat(64) });
    expect(answer).toEqual({ status: 413, body: 'payload_too_large' });
  });
});
