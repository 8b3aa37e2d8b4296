import { afterAll, describe, expect, it } from 'vitest';
import { hostileRuns } from '../../../router-core/test/hostile/bad-requests.ts';
import { badResponsesRequest } from '../../../router-core/test/hostile/bad-responses.ts';
import { runHostile } from '../../../router-core/test/hostile/run-hostile.ts';
import { createRegionalApp } from '../create-regional-app.ts';
import { TEST_KEY, testConfig } from '../testing/test-config.ts';

// Generous: 10,000 runs take seconds, and a slow shared machine must not fail the suite.
const TIMEOUT_MS = 300_000;
const LIMITS = { maxBodyBytes: 65_536, maxMessages: 64 };

// No provider listens here: a request that slipped through as valid would fail with a 5xx.
const logged: string[] = [];
const regional = createRegionalApp({
  config: testConfig('http://127.0.0.1:9', { limits: LIMITS }),
  env: {},
  log: (entry) => {
    if (entry.level === 'error') logged.push(JSON.stringify(entry));
  },
});
afterAll(() => regional.close());

describe('POST /v1/responses at the regional front door under hostile requests', () => {
  const runs = hostileRuns(process.env.HOSTILE_RUNS);
  it(
    `answers each of ${runs} generated bad Responses bodies with a 4xx in OpenAI's envelope`,
    async () => {
      const tally = await runHostile(
        badResponsesRequest({ model: 'smart', tool: 'get_weather', ...LIMITS }),
        async (bad) =>
          regional.fetch(
            new Request('http://regional/v1/responses', {
              method: 'POST',
              headers: {
                authorization: `Bearer ${TEST_KEY}`,
                'content-type': 'application/json',
                ...bad.headers,
              },
              body: bad.body,
            }),
          ),
        runs,
      );
      console.log(`regional hostile responses: ${JSON.stringify(tally)}`);
      expect(tally.fiveHundreds).toBe(0);
      expect(logged).toEqual([]);
    },
    TIMEOUT_MS,
  );
});
