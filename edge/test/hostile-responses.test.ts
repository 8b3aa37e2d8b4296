import { exports } from 'cloudflare:workers';
import fc from 'fast-check';
import { describe, expect, inject, it } from 'vitest';
import { checkRefusal, hostileRuns } from '../../router-core/test/hostile/bad-requests.ts';
import { badResponsesRequest } from '../../router-core/test/hostile/bad-responses.ts';
import generated from '../src/config/router-config.generated.json' with { type: 'json' };
import { DEMO_KEY } from './helpers.ts';

// Generous: 10,000 runs take seconds, and a slow shared machine must not fail the suite.
const TIMEOUT_MS = 300_000;
const RUNS = hostileRuns(inject('hostileRuns'));

describe('POST /v1/responses at the edge front door under hostile requests', () => {
  it(
    `answers each of ${RUNS} generated bad Responses bodies with a 4xx in OpenAI's envelope`,
    async () => {
      const statuses = new Map<number, number>();
      let fiveHundreds = 0;
      await fc.assert(
        fc.asyncProperty(
          badResponsesRequest({ model: 'smart', tool: 'get_weather', ...generated.limits }),
          async (bad) => {
            const response = await exports.default.fetch(
              new Request('http://edge/v1/responses', {
                method: 'POST',
                headers: {
                  authorization: `Bearer ${DEMO_KEY}`,
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
        `edge hostile responses: ${RUNS} requests, ${fiveHundreds} 5xx, statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
      );
      expect(fiveHundreds).toBe(0);
    },
    TIMEOUT_MS,
  );
});
