import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstreamPool } from '../../providers/http/pooled-fetch.ts';
import { eventually } from '../../testing/harness.ts';
import { total } from '../../testing/sim-control.ts';
import { TEST_KEY } from '../../testing/test-config.ts';
import { harnessForFile, SLOW_LONG_ANSWERS } from './responses-testing.ts';

const h = harnessForFile(SLOW_LONG_ANSWERS);
// A pool that closes what it aborts (see client-disconnect.test.ts), so the hang-up is real.
const clientPool = createUpstreamPool();
let client: OpenAI;
beforeAll(() => {
  client = new OpenAI({
    baseURL: `${h.server.url}/v1`,
    apiKey: TEST_KEY,
    maxRetries: 0,
    fetch: clientPool.fetch,
  });
});
afterAll(() => {
  clientPool.close();
});

describe('a Responses stream the client leaves', () => {
  it('aborts the upstream chat call: it is counted client-aborted, never completed', async () => {
    const CLIENTS = 5;
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, i) => {
        const stream = await client.responses.create({
          model: 'smart',
          stream: true,
          input: `long story ${i}`,
        });
        let deltas = 0;
        for await (const event of stream) {
          if (event.type === 'response.output_text.delta' && ++deltas === 3) break;
        }
      }),
    );
    const drained = await eventually(
      async () => total(await h.control.stats(), 'inFlight') === 0,
      10_000,
    );
    expect(drained).toBe(true);
    const stats = await h.control.stats();
    expect(total(stats, 'clientAborted', 'openai')).toBe(CLIENTS);
    expect(total(stats, 'completed', 'openai')).toBe(0);
  });
});
