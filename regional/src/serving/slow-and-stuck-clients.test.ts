import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Harness, startHarness } from '../testing/harness.ts';
import { total } from '../testing/sim-control.ts';
import { TEST_KEY } from '../testing/test-config.ts';

// An answer that would take 100 s (5,000 tokens, 20 ms apart), against a 600 ms budget.
let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    sim: { ttftMs: 5, itlMs: 20, tokens: 5000 },
    config: { budgets: { default: { ttftMs: 300, totalMs: 600, policyMs: 50 } } },
  });
});
afterAll(async () => {
  await h.close();
});

const BODY = JSON.stringify({
  model: 'smart',
  stream: true,
  messages: [{ role: 'user', content: 'tell me everything' }],
});

describe('clients and providers that never finish', () => {
  it('a client that trickles its body is answered 400 at the budget, and no provider is called', async () => {
    const before = total(await h.control.stats(), 'calls');
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${h.server.url}/v1/chat/completions`, {
        method: 'POST',
        agent: false,
        headers: {
          authorization: `Bearer ${TEST_KEY}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(BODY),
        },
      });
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (part: string) => (body += part));
        res.on('end', () => {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, body });
        });
      });
      req.on('error', reject);
      // Ten bytes, then nothing more: the rest of the declared body never comes.
      req.write(BODY.slice(0, 10));
    });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({
      error: {
        message: expect.stringMatching(
          /^The request body did not arrive within \d+ ms; send the whole body at once\.$/,
        ),
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_request_error',
      },
    });
    expect(total(await h.control.stats(), 'calls')).toBe(before);
  });

  it('a client that never reads its stream: the upstream is aborted at the budget', async () => {
    await h.control.reset();
    const url = new URL(h.server.url);
    const socket = connect(Number(url.port), url.hostname);
    try {
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.pause();
      socket.write(
        `POST /v1/chat/completions HTTP/1.1\r\nhost: ${url.host}\r\nauthorization: Bearer ${TEST_KEY}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(BODY)}\r\n\r\n${BODY}`,
      );
      expect(
        await eventually(async () => total(await h.control.stats(), 'calls') === 1, 2000),
      ).toBe(true);
      expect(
        await eventually(async () => total(await h.control.stats(), 'inFlight') === 0, 3000),
      ).toBe(true);
      expect(total(await h.control.stats(), 'clientAborted')).toBe(1);
    } finally {
      socket.destroy();
    }
  });

  it('a provider that streams forever is cut at the end-to-end budget with budget_exceeded', async () => {
    await h.control.reset();
    const response = await fetch(`${h.server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json' },
      body: BODY,
    });
    expect(response.status).toBe(200);
    const events = (await response.text())
      .split('\n\n')
      .filter((e) => e.startsWith('data: '))
      .map((e) => e.slice(6));
    expect(events.length).toBeGreaterThan(2);
    expect(JSON.parse(events.at(-1) ?? '{}')).toMatchObject({
      error: { code: 'budget_exceeded', type: 'server_error' },
    });
    expect(
      await eventually(async () => total(await h.control.stats(), 'inFlight') === 0, 2000),
    ).toBe(true);
    expect(total(await h.control.stats(), 'clientAborted')).toBe(1);
  });
});
