import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RegionalServer, startRegionalServer } from '../start-regional-server.ts';
import { TEST_KEY, testConfig } from '../testing/test-config.ts';

let server: RegionalServer;
beforeAll(async () => {
  server = await startRegionalServer({
    config: testConfig('http://127.0.0.1:9'),
    port: 0,
    env: {},
  });
});
afterAll(async () => {
  await server.close();
});

/** Sends raw bytes and reads until the server closes the connection. */
const raw = (payload: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const url = new URL(server.url);
    const socket = connect(Number(url.port), url.hostname);
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (part: string) => {
      text += part;
      // One answer is all a test needs; keep-alive would otherwise hold the socket open.
      const [head, body = ''] = text.split('\r\n\r\n');
      const length = Number(/content-length: (\d+)/i.exec(head ?? '')?.[1] ?? Number.NaN);
      if (body.length >= length) socket.destroy();
    });
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
    socket.write(payload);
  });

const BODY = JSON.stringify({ model: 'smart', messages: [] });
const request = (headerLines: string) =>
  `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${TEST_KEY}\r\ncontent-type: application/json\r\n${headerLines}content-length: ${BODY.length}\r\n\r\n${BODY}`;

describe('requests Node itself cannot parse', () => {
  it.each([
    ['a bare LF inside a header value', 'x-request-id: a\nx-router-tier: edge\r\n'],
    ['a NUL in a header value', 'x-workflow: a\u0000b\r\n'],
    ['two different content-lengths', 'content-length: 3\r\n'],
    ['a header name with a space', 'x router tier: edge\r\n'],
  ])('%s: 400 in OpenAI’s envelope, not a bare Bad Request', async (_name, lines) => {
    const answer = await raw(request(lines));
    const [head, body] = answer.split('\r\n\r\n');
    expect(head?.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(JSON.parse(body ?? '')).toEqual({
      error: {
        message: expect.stringMatching(
          /^The HTTP request could not be parsed \(HPE_[A-Z_]+\); check its request line and headers/,
        ),
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_request_error',
      },
    });
  });

  it('a CRLF-smuggled x-router-* header is just a header: the answer is the router’s own', async () => {
    const answer = await raw(request('x-request-id: abc\r\nx-router-tier: edge\r\n'));
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(answer).toContain('x-request-id: abc');
    expect(answer).not.toMatch(/x-router-tier: edge/);
  });
});
