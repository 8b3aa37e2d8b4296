import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UpstreamError } from '@switchback/router-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { directWire } from './direct-wire.ts';
import { createUpstreamPool } from './http/pooled-fetch.ts';

const chunk = (content: string) =>
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;

// A provider that counts its connections: `/ok` streams three chunks and [DONE], `/endless`
// streams until the client goes, `/busy` answers 429 with retry-after.
let connections = 0;
let closed = 0;
const endless = new Set<ServerResponse>();
const server: Server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (req.url?.startsWith('/busy')) {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '2' });
      res.end(JSON.stringify({ error: { message: 'slow down' } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    if (req.url?.startsWith('/ok')) {
      res.end(`${chunk('a')}${chunk('b')}${chunk('c')}data: [DONE]\n\n`);
      return;
    }
    endless.add(res);
    res.write(chunk('first'));
  });
});
server.on('connection', (socket) => {
  connections++;
  socket.once('close', () => closed++);
});
let base = '';
const pool = createUpstreamPool();

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => {
  for (const res of endless) res.end();
  endless.clear();
});
afterAll(async () => {
  pool.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const wire = (path: string) =>
  directWire({ id: 'p', baseURL: `${base}/${path}`, apiKey: 'k', post: pool.post });
const call = () => ({ signal: new AbortController().signal, headers: {} });
const until = async (done: () => boolean) => {
  for (let i = 0; i < 100 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('directWire over the pool', () => {
  it('reads every chunk up to [DONE] and gives the connection back: five streams a moment apart, one connection', async () => {
    const before = connections;
    for (let i = 0; i < 5; i++) {
      const contents: string[] = [];
      for await (const event of wire('ok').stream({}, call())) {
        contents.push(event.choices[0]?.delta.content ?? '');
      }
      expect(contents).toEqual(['a', 'b', 'c']);
      // The body's last bytes (after [DONE]) are read once the reader has moved on.
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(connections - before).toBe(1);
  });

  it('closes the connection of a stream its reader walked away from', async () => {
    const closedBefore = closed;
    for await (const event of wire('endless').stream({}, call())) {
      expect(event.choices[0]?.delta.content).toBe('first');
      break;
    }
    await until(() => closed > closedBefore);
    expect(closed - closedBefore).toBe(1);
  });

  it('turns an error status into an UpstreamError with its message, status and retry-after', async () => {
    const error = await wire('busy')
      .complete({}, call())
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 2000 });
    expect((error as Error).message).toBe('p answered 429 slow down');
  });
});
