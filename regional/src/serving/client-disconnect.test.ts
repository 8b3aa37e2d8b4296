import { readdirSync, readlinkSync } from 'node:fs';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstreamPool } from '../providers/http/pooled-fetch.ts';
import { eventually, type Harness, startHarness } from '../testing/harness.ts';
import { total } from '../testing/sim-control.ts';
import { TEST_KEY } from '../testing/test-config.ts';

const CLIENTS = 200;

/**
 * Sockets this process holds, from its file descriptors: busy and idle, referenced or not (Node
 * does not list unreferenced handles, and idle keep-alive sockets are unreferenced).
 */
const openSockets = (): number => {
  let count = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:')) count++;
    } catch {
      // Closed while we looked.
    }
  }
  return count;
};

let h: Harness;
// The clients' own transport: Node's global fetch reconnects after an aborted stream and keeps
// the fresh connection idle forever (undici 7.x), which would count the test's clients, not
// regional. The SDK is the same; only its connection pool is one that closes what it aborts.
const clientPool = createUpstreamPool();
let client: OpenAI;
beforeAll(async () => {
  // Long, slow answers: every client is still mid-stream when it leaves.
  h = await startHarness({
    sim: { ttftMs: 5, itlMs: 20, tokens: 400 },
    config: { budgets: { default: { ttftMs: 5000, totalMs: 60_000, policyMs: 50 } } },
  });
  client = new OpenAI({
    baseURL: `${h.server.url}/v1`,
    apiKey: TEST_KEY,
    maxRetries: 0,
    fetch: clientPool.fetch,
  });
});
afterAll(async () => {
  clientPool.close();
  await h.close();
});

describe('clients that disconnect mid-stream', () => {
  it(`${CLIENTS} of them: every upstream call is aborted, none runs to its end, and the sockets are released`, async () => {
    const baseline = openSockets();

    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, i) => {
        const stream = await client.chat.completions.create({
          model: 'smart',
          stream: true,
          messages: [{ role: 'user', content: `long story ${i}` }],
        });
        let chunks = 0;
        // Leaving the loop aborts the SDK's request: the client hangs up mid-answer.
        for await (const _ of stream) if (++chunks === 3) break;
      }),
    );
    // Aborted, not finished: the simulator counts each call's end as client-aborted or completed,
    // and a stream left to run would complete. How fast the abort lands is a figure for the load
    // tests, not a bound here (a timed assertion fails on a busy two-core machine).
    const drained = await eventually(
      async () => total(await h.control.stats(), 'inFlight') === 0,
      10_000,
    );
    expect(drained).toBe(true);

    const stats = await h.control.stats();
    expect(total(stats, 'calls', 'openai')).toBe(CLIENTS);
    expect(total(stats, 'clientAborted', 'openai')).toBe(CLIENTS);
    expect(total(stats, 'completed')).toBe(0);

    expect(await eventually(() => openSockets() <= baseline, 5000)).toBe(true);

    const metrics = await (await fetch(`${h.server.url}/metrics`)).text();
    expect(metrics).toContain(
      `router_requests_total{workflow="default",tier="regional",outcome="client_closed"} ${CLIENTS}`,
    );
  }, 60_000);
});
