import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type Simulator, startSimulator } from '@switchback/loadtests/sim';
import { createMemoryQuotaStore } from '@switchback/router-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostileRuns } from '../../../router-core/test/hostile/bad-requests.ts';
import {
  distinctHeaderRequests,
  windowsSpanned,
} from '../../../router-core/test/hostile/distinct-headers.ts';
import { createRegionalApp, type RegionalApp } from '../create-regional-app.ts';
import { TEST_KEY, testConfig } from '../testing/test-config.ts';

// 10,000 under `npm run test:hostile`; a few hundred in `npm test`.
const RUNS = hostileRuns(process.env.HOSTILE_RUNS, 300);
const LIMIT = 40;
const TIMEOUT_MS = 600_000;
// A full collection before each sample, so heap figures show what the run kept, not its garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapUsed = () => {
  gc();
  return process.memoryUsage().heapUsed;
};
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

let sim: Simulator;
let regional: RegionalApp;
const quotas = createMemoryQuotaStore();
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  regional = createRegionalApp({
    config: testConfig(sim.url, {
      quotas: { standard: { requestsPerMinute: LIMIT, tokensPerMinute: 100_000_000 } },
      // What is tested is admission: an admitted request must not miss its answer because 50
      // at once on a loaded machine outlast the test config's 400 ms TTFT (2 × 503 in one CI run).
      budgets: { default: { ttftMs: 10_000, totalMs: 30_000, policyMs: 50 } },
    }),
    env: {},
    quotas,
  });
});
afterAll(async () => {
  regional.close();
  await sim.close();
});

describe('the regional front door under distinct values in every header that names state', () => {
  it(
    `admits ${LIMIT} a minute out of ${RUNS} requests, each with new x-workflow, x-session-affinity, idempotency-key, x-request-id and user values, and keeps no state per value`,
    async () => {
      const requests = distinctHeaderRequests(RUNS, { model: 'fast' });
      const before = heapUsed();
      const statuses = new Map<number, number>();
      const started = Date.now();
      for (let start = 0; start < requests.length; start += 50) {
        await Promise.all(
          requests.slice(start, start + 50).map(async (request) => {
            const res = await regional.fetch(
              new Request('http://regional/v1/chat/completions', {
                method: 'POST',
                headers: {
                  authorization: `Bearer ${TEST_KEY}`,
                  'content-type': 'application/json',
                  ...request.headers,
                },
                body: request.body,
              }),
            );
            await res.arrayBuffer();
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          }),
        );
      }
      const windows = windowsSpanned(started, Date.now());
      const after = heapUsed();
      console.log(
        `regional distinct headers: ${RUNS} requests over ${windows} quota window(s), statuses ${JSON.stringify(Object.fromEntries(statuses))}, ` +
          `heap after GC ${mib(before)} -> ${mib(after)}, quota windows ${quotas.size}, sessions ${regional.sessions.size}`,
      );
      const admitted = statuses.get(200) ?? 0;
      expect(admitted).toBeGreaterThanOrEqual(LIMIT);
      expect(admitted).toBeLessThanOrEqual(LIMIT * windows);
      expect(statuses.get(429)).toBe(RUNS - admitted);
      // One tenant, one class: one window, whatever came in x-workflow.
      expect(quotas.size).toBe(1);
      // A session is kept for an admitted request only, in an LRU of fixed capacity.
      expect(regional.sessions.size).toBeLessThanOrEqual(admitted);
    },
    TIMEOUT_MS,
  );
});
