import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UpstreamError } from '@switchback/router-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstreamPool } from './http/pooled-fetch.ts';
import { readWholeAnswer, sseDataOf } from './whole-answer.ts';

const event = (delta: Record<string, unknown>, finish: string | null = null, extra = {}) =>
  `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 7, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;

const USAGE = { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 };

// Each path is one upstream answer; `/slow` sends its first event, then the rest on `/go`.
let held: ServerResponse | undefined;
let split: ServerResponse | undefined;
const bodies: Record<string, string> = {
  '/whole': `${event({ role: 'assistant', content: '' })}${event({ content: 'Hel' })}: a comment\n\n${event({ content: 'lo' }, 'stop')}${event({}, null, { choices: [], usage: USAGE })}data: [DONE]\n\n`,
  '/error-first': `data: {"error":{"message":"overloaded"}}\n\n`,
  '/error-later': `${event({ content: 'a' })}data: {"error":{"message":"gone"}}\n\n`,
  '/unfinished': `${event({ content: 'a' })}data: [DONE]\n\n`,
  '/empty': ': nothing\n\n',
};
const server: Server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    if (req.url === '/split') {
      // The first event cut in two reads: it counts once it is whole.
      res.write((bodies['/whole'] as string).slice(0, 20));
      split = res;
      return;
    }
    if (req.url === '/slow') {
      res.write(event({ content: 'first' }));
      held = res;
      return;
    }
    res.end(bodies[req.url ?? ''] ?? '');
  });
});
let base = '';
const pool = createUpstreamPool();
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  pool.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const read = async (path: string, onFirstEvent: () => void = () => {}) => {
  const reply = await pool.post(new URL(`${base}${path}`), {
    headers: {},
    body: '{}',
    signal: new AbortController().signal,
  });
  return readWholeAnswer(reply, { id: 'p', onFirstEvent });
};

const failure = (path: string) =>
  read(path).then(
    () => undefined,
    (error: unknown) => error,
  );

describe('a whole answer read off the upstream stream', () => {
  it('folds every event into one completion, usage and finish reason included', async () => {
    let firsts = 0;
    const completion = await read('/whole', () => firsts++);
    expect(firsts).toBe(1);
    expect(completion).toEqual({
      id: 'c1',
      object: 'chat.completion',
      created: 7,
      model: 'm',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hello' },
          finish_reason: 'stop',
          logprobs: null,
        },
      ],
      usage: USAGE,
    });
  });

  it('tells of the first event once, when it is whole, even cut across reads', async () => {
    let firsts = 0;
    const answer = read('/split', () => firsts++);
    for (let i = 0; i < 200 && split === undefined; i++) await new Promise((r) => setTimeout(r, 5));
    // Time for the first 20 bytes to arrive: not yet a whole event.
    await new Promise((r) => setTimeout(r, 50));
    expect(firsts).toBe(0);
    split?.end((bodies['/whole'] as string).slice(20));
    expect((await answer).choices[0]?.message.content).toBe('Hello');
    expect(firsts).toBe(1);
  });

  it('tells of the first event as it arrives, before the answer is whole', async () => {
    let first = false;
    const answer = read('/slow', () => {
      first = true;
    });
    for (let i = 0; i < 200 && held === undefined; i++) await new Promise((r) => setTimeout(r, 5));
    for (let i = 0; i < 200 && !first; i++) await new Promise((r) => setTimeout(r, 5));
    expect(first).toBe(true);
    held?.end(`${event({ content: ' then' }, 'stop')}data: [DONE]\n\n`);
    expect((await answer).choices[0]?.message.content).toBe('first then');
  });

  it('fails with what went wrong: an error event, no finish reason, no event at all', async () => {
    const cases: [string, string, string][] = [
      ['/error-first', 'server', 'p sent an error event: overloaded'],
      ['/error-later', 'mid_stream', 'p sent an error event: gone'],
      ['/unfinished', 'mid_stream', 'p ended its stream without finishing the answer.'],
      ['/empty', 'server', 'p answered an empty stream.'],
    ];
    for (const [path, kind, message] of cases) {
      const error = await failure(path);
      expect(error).toBeInstanceOf(UpstreamError);
      expect({ kind: (error as UpstreamError).kind, message: (error as Error).message }).toEqual({
        kind,
        message,
      });
    }
  });

  it('reads SSE data lines as the stream reader does: CRLF, multi-line data, no trailing blank', () => {
    expect(sseDataOf('data: a\r\n\r\n: c\n\ndata:b\ndata: c\n\nevent: x\ndata: d')).toEqual([
      'a',
      'b\nc',
      'd',
    ]);
  });
});
