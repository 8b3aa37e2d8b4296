import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type BadRequest,
  badRequest,
  checkRefusal,
  hostileRuns,
} from '../../../router-core/test/hostile/bad-requests.ts';
import { createRegionalApp } from '../create-regional-app.ts';
import { TEST_KEY, testConfig } from '../testing/test-config.ts';

// Generous: 10,000 runs take seconds, and a slow shared machine must not fail the suite.
const TIMEOUT_MS = 300_000;
// A full collection before each sample, so heap figures show what the run kept, not its garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const sample = () => {
  gc();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
};
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const RUNS = hostileRuns(process.env.HOSTILE_RUNS);
const LIMITS = { maxBodyBytes: 65_536, maxMessages: 64 };

// No provider listens here: a request that slipped through as valid would fail with a 5xx.
const config = testConfig('http://127.0.0.1:9', { limits: LIMITS });
const logged: string[] = [];
const regional = createRegionalApp({
  config,
  env: {},
  hmacSecret: 'hostile-suite-secret',
  log: (entry) => {
    if (entry.level === 'error') logged.push(JSON.stringify(entry));
  },
});
afterAll(() => regional.close());

const send = async (bad: BadRequest): Promise<Response> =>
  regional.fetch(
    new Request('http://regional/v1/chat/completions', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TEST_KEY}`,
        'content-type': 'application/json',
        ...bad.headers,
      },
      body: bad.body,
    }),
  );

describe('the regional front door under hostile requests', () => {
  it(
    `answers each of ${RUNS} generated bad requests with a 4xx in OpenAI's envelope`,
    async () => {
      const before = sample();
      const statuses = new Map<number, number>();
      const kinds = new Map<string, number>();
      let tried = 0;
      let fiveHundreds = 0;
      await fc.assert(
        fc.asyncProperty(
          badRequest({ model: 'smart', tool: 'get_weather', ...LIMITS }),
          async (bad) => {
            tried++;
            kinds.set(bad.kind, (kinds.get(bad.kind) ?? 0) + 1);
            const response = await send(bad);
            const text = await response.text();
            statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
            if (response.status >= 500) fiveHundreds++;
            const verdict = checkRefusal(bad, response.status, response.headers, text);
            expect(verdict, bad.kind).toEqual({ ok: true });
          },
        ),
        { numRuns: RUNS },
      );
      const after = sample();
      console.log(
        `regional hostile: ${tried} requests, ${fiveHundreds} 5xx, statuses ${JSON.stringify(Object.fromEntries(statuses))}, ` +
          `RSS ${mib(before.rss)} -> ${mib(after.rss)}, heap after GC ${mib(before.heapUsed)} -> ${mib(after.heapUsed)}; ` +
          `kinds ${JSON.stringify(Object.fromEntries(kinds))}`,
      );
      expect(fiveHundreds).toBe(0);
      expect(logged).toEqual([]);
    },
    TIMEOUT_MS,
  );
});
