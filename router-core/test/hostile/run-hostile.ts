// One hostile run, the same at both doors: each generated bad request sent, each answer checked.
import fc from 'fast-check';
import { type BadRequest, checkRefusal } from './bad-requests.ts';

export type HostileTally = { runs: number; fiveHundreds: number; statuses: Record<number, number> };

/**
 * Sends `runs` requests drawn from `requests` through `send`; fails (fast-check shrinks it) on
 * the first answer that is not a 4xx in OpenAI's envelope saying what to fix (`checkRefusal`).
 */
export const runHostile = async (
  requests: fc.Arbitrary<BadRequest>,
  send: (bad: BadRequest) => Promise<Response>,
  runs: number,
): Promise<HostileTally> => {
  const statuses: Record<number, number> = {};
  let fiveHundreds = 0;
  await fc.assert(
    fc.asyncProperty(requests, async (bad) => {
      const response = await send(bad);
      const text = await response.text();
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      if (response.status >= 500) fiveHundreds++;
      const verdict = checkRefusal(bad, response.status, response.headers, text);
      if (!verdict.ok) throw new Error(`${bad.kind}: ${verdict.why}`);
    }),
    { numRuns: runs },
  );
  return { runs, fiveHundreds, statuses };
};
