import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRefusal, hostileRuns } from '../../../router-core/test/hostile/bad-requests.ts';
import { badResponsesRequest } from '../../../router-core/test/hostile/bad-responses.ts';
import { createRegionalApp } from '../create-regional-app.ts';
import { TEST_KEY, testConfig } from '../testing/test-config.ts';

// Generous: 10,000 runs take seconds, and a slow shared machine must not fail the suite.
const TIMEOUT_MS = 300_000;
const RUNS = hostileRuns(process.env.HOSTILE_RUNS);
const LIMITS = { maxBodyBytes: 65_536, maxMessages: 64 };

// No provider listens here: a request that slipped through as valid would fail with a 5xx.
const config = testConfig('http://127.0.0.1:9', { limits: LIMITS });
const logged: string[] = [];
const regional = createRegionalApp({
  config,
  env: {},
  log: (entry) => {
    if (entry.level === 'error') logged.push(JSON.stringify(entry));
  },
});
afterAll(() => regional.close());

describe('POST /v1/responses at the regional front door under hostile requests', () => {
  it(
    `answers each of ${RUNS} generated bad Responses bodies with a 4xx in OpenAI's envelope`,
    async () => {
      const statuses = new Map<number, number>();
      let fiveHundreds = 0;
      await fc.assert(
        fc.asyncProperty(
          badResponsesRequest({ model: 'smart', tool: 'get_weather', ...LIMITS }),
          async (bad) => {
            const response = await regional.fetch(
              new Request('http://regional/v1/responses', {
                method: 'POST',
                headers: {
                  authorization: `Bearer ${TEST_KEY}`,
                  'content-type': 'application/json',
                  ...bad.headers,
                },
                body: bad.body,
              }),
            );
            const text = await response.text();
            statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
            if (response.status >= 500) fiveHundreds++;
            expect(checkRefusal(bad, response.status, response.headers, text), bad.kind).toEqual({
              ok: true,
            });
          },
        ),
        { numRuns: RUNS },
      );
      console.log(
        `regional hostile responses: ${RUNS} requests, ${fiveHundreds} 5xx, statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
      );
      expect(fiveHundreds).toBe(0);
      expect(logged).toEqual([]);
    },
    TIMEOUT_MS,
  );
});
