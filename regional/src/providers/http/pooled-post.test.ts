import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstreamPool } from './pooled-fetch.ts';

let seen: { headers: IncomingHttpHeaders; raw: string[]; body: string } | undefined;
const server = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8').on('data', (part: string) => (body += part));
  req.on('end', () => {
    seen = { headers: req.headers, raw: req.rawHeaders, body };
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('data: {"a":1}\n\n');
    setTimeout(() => res.end('data: [DONE]\n\n'), 10);
  });
});
let url: URL;
const pool = createUpstreamPool();
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat?x=1`);
});
afterAll(async () => {
  pool.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('the pool’s POST, the direct wire’s transport', () => {
  it('sends host, content-length and each header once (names that differ in case are one, the last wins)', async () => {
    const body = JSON.stringify({ text: 'héllo' });
    const reply = await pool.post(url, {
      headers: { 'X-Test': 'first', 'x-test': 'second', authorization: 'Bearer k' },
      body,
      signal: new AbortController().signal,
    });
    expect(reply.status).toBe(200);
    let text = '';
    for (let bytes = await reply.read(); bytes !== null; bytes = await reply.read()) {
      text += new TextDecoder().decode(bytes);
    }
    reply.release(true);
    expect(text).toBe('data: {"a":1}\n\ndata: [DONE]\n\n');
    expect(seen?.body).toBe(body);
    expect(seen?.headers).toMatchObject({
      host: url.host,
      'content-length': String(Buffer.byteLength(body)),
      'x-test': 'second',
      authorization: 'Bearer k',
    });
    expect(seen?.raw.filter((name) => name.toLowerCase() === 'x-test')).toHaveLength(1);
    expect(seen?.headers['transfer-encoding']).toBeUndefined();
  });

  it('an abort while the body is read rejects the read', async () => {
    const controller = new AbortController();
    const reply = await pool.post(url, { headers: {}, body: '{}', signal: controller.signal });
    expect(await reply.read()).not.toBeNull();
    controller.abort();
    await expect(reply.read()).rejects.toThrow();
    reply.release(false);
  });
});
