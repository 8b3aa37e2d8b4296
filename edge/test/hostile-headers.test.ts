import { describe, expect, inject, it } from 'vitest';
import { hostileRuns } from '../../router-core/test/hostile/bad-requests.ts';
import {
  distinctHeaderRequests,
  windowsSpanned,
} from '../../router-core/test/hostile/distinct-headers.ts';
import { appWith, configWith, sha256Hex } from './helpers.ts';

// 10,000 under `npm run test:hostile`; a few hundred in `npm test`.
const RUNS = hostileRuns(inject('hostileRuns'), 300);
const LIMIT = 40;
const TIMEOUT_MS = 600_000;

describe('the edge front door under distinct values in every header that names state', () => {
  it(
    `admits ${LIMIT} a minute out of ${RUNS} requests, each with new x-workflow, x-session-affinity, idempotency-key, x-request-id and user values`,
    async () => {
      const id = `hostile-headers-${crypto.randomUUID().slice(0, 8)}`;
      const key = `sk-test-${id}`;
      const sha256 = await sha256Hex(key);
      const call = appWith(
        configWith((c) => {
          c.quotas = {
            ...c.quotas,
            [id]: { requestsPerMinute: LIMIT, tokensPerMinute: 100_000_000 },
          };
          c.tenants.push({ id, class: id, keys: [{ id: `${id}-1`, sha256 }] });
        }),
      );
      const requests = distinctHeaderRequests(RUNS, { model: 'fast' });
      const statuses = new Map<number, number>();
      const started = Date.now();
      for (let start = 0; start < requests.length; start += 50) {
        await Promise.all(
          requests.slice(start, start + 50).map(async (request) => {
            const res = await call({ key, headers: request.headers, body: request.body });
            await res.arrayBuffer();
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          }),
        );
      }
      const windows = windowsSpanned(started, Date.now());
      console.log(
        `edge distinct headers: ${RUNS} requests over ${windows} quota window(s), statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
      );
      const admitted = statuses.get(200) ?? 0;
      expect(admitted).toBeGreaterThanOrEqual(LIMIT);
      expect(admitted).toBeLessThanOrEqual(LIMIT * windows);
      expect(statuses.get(429)).toBe(RUNS - admitted);
    },
    TIMEOUT_MS,
  );
});
