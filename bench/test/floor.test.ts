import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { createBareProxy } from '../floor/bare-proxy.js';
import { requestFor } from '../src/targets.ts';

const listen = async (server: Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

const readBody = async (req: IncomingMessage): Promise<string> => {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
};

type Seen = { url: string | undefined; authorization: string | undefined; body: string };

/** A stand-in provider: answers JSON, or a two-event stream whose second event waits for `go`. */
const upstream = (seen: Seen[], go: Promise<void>) =>
  createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    seen.push({ url: req.url, authorization: req.headers.authorization, body });
    if (!body.includes('"stream":true')) {
      res.writeHead(201, { 'content-type': 'application/json', 'x-extra': 'dropped' });
      res.end('{"id":"answer"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('data: {"token":1}\n\n');
    await go;
    res.end('data: [DONE]\n\n');
  });

test('the floor forwards the baseline request untouched and pipes status, type and body back', async () => {
  const seen: Seen[] = [];
  const up = await listen(upstream(seen, Promise.resolve()));
  const floor = await listen(createBareProxy(`${up}/ai/v1/chat/completions`));
  const spec = requestFor('floor', floor, up, false);

  const res = await fetch(spec.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...spec.headers },
    body: spec.body,
  });

  assert.equal(res.status, 201);
  assert.equal(res.headers.get('content-type'), 'application/json');
  assert.equal(res.headers.get('x-extra'), null);
  assert.equal(await res.text(), '{"id":"answer"}');
  assert.deepEqual(seen, [
    { url: '/ai/v1/chat/completions', authorization: 'Bearer sk-bench', body: spec.body },
  ]);
});

test('the floor streams: the first event arrives before the upstream has finished', {
  timeout: 10_000,
}, async () => {
  let go = () => {};
  const seen: Seen[] = [];
  const up = await listen(upstream(seen, new Promise<void>((r) => (go = r))));
  const floor = await listen(createBareProxy(`${up}/ai/v1/chat/completions`));
  const spec = requestFor('floor', floor, up, true);

  const res = await fetch(spec.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...spec.headers },
    body: spec.body,
  });
  assert.equal(res.headers.get('content-type'), 'text/event-stream');
  const reader = res.body?.pipeThrough(new TextDecoderStream()).getReader();
  assert.ok(reader);
  // The upstream holds the rest back until this first event got through the proxy.
  assert.equal((await reader.read()).value, 'data: {"token":1}\n\n');
  go();
  let rest = '';
  for (let r = await reader.read(); !r.done; r = await reader.read()) rest += r.value;
  assert.equal(rest, 'data: [DONE]\n\n');
});

test('the floor answers 502 when the upstream is down, and 200 on /healthz', async () => {
  const gone = createServer();
  const deadUrl = await listen(gone);
  gone.close();
  const floor = await listen(createBareProxy(`${deadUrl}/ai/v1/chat/completions`));

  const res = await fetch(`${floor}/v1/chat/completions`, { method: 'POST', body: '{}' });
  assert.equal(res.status, 502);
  await res.body?.cancel();
  assert.equal((await fetch(`${floor}/healthz`)).status, 200);
});
