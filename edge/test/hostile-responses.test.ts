import { exports } from 'cloudflare:workers';
import { describe, expect, inject, it } from 'vitest';
import { hostileRuns } from '../../router-core/test/hostile/bad-requests.ts';
import { badResponsesRequest } from '../../router-core/test/hostile/bad-responses.ts';
import { runHostile } from '../../router-core/test/hostile/run-hostile.ts';
import generated from '../src/config/router-config.generated.json' with { type: 'json' };
import { DEMO_KEY } from './helpers.ts';

// Generous: 10,000 runs take seconds, and a slow shared machine must not fail the suite.
const TIMEOUT_MS = 300_000;

describe('POST /v1/responses at the edge front door under hostile requests', () => {
  const runs = hostileRuns(inject('hostileRuns'));
  it(
    `answers each of ${runs} generated bad Responses bodies with a 4xx in OpenAI's envelope`,
    async () => {
      const tally = await runHostile(
        badResponsesRequest({ model: 'smart', tool: 'get_weather', ...generated.limits }),
        (bad) =>
          exports.default.fetch(
            new Request('http://edge/v1/responses', {
              method: 'POST',
              headers: {
                authorization: `Bearer ${DEMO_KEY}`,
                'content-type': 'application/json',
                ...bad.headers,
              },
              body: bad.body,
            }),
          ),
        runs,
      );
      console.log(`edge hostile responses: ${JSON.stringify(tally)}`);
      expect(tally.fiveHundreds).toBe(0);
    },
    TIMEOUT_MS,
  );
});
