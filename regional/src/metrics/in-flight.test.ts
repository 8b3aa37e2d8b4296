import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually, type Harness, startHarness } from '../testing/harness.ts';
import { TEST_KEY } from '../testing/test-config.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ sim: { ttftMs: 300 } });
});
afterAll(() => h.close());

const inFlight = async (): Promise<string | undefined> =>
  (await (await fetch(`${h.server.url}/metrics`)).text()).match(
    /^router_in_flight_requests (\d+)$/m,
  )?.[1];

it('router_in_flight_requests counts a stream until its last byte (the scrape counts itself)', async () => {
  expect(await inFlight()).toBe('1');
  const stream = fetch(`${h.server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'fast',
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    }),
  });
  expect(await eventually(async () => (await inFlight()) === '2', 2_000)).toBe(true);
  await (await stream).text();
  expect(await eventually(async () => (await inFlight()) === '1', 2_000)).toBe(true);
});
