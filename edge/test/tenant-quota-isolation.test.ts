import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appWith, configWith, SHORT, sha256Hex } from './helpers.ts';

/** The quota window is the clock minute: start well inside one, so a run cannot straddle two. */
const awayFromMinuteBoundary = async () => {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 5_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
};

let run = 0;

/** Two fresh tenants (their quota objects are new) with a per-minute request limit each. */
const twoTenants = async (limitA: number, limitB: number) => {
  run++;
  const tenants = [
    { id: `iso-a-${run}`, limit: limitA },
    { id: `iso-b-${run}`, limit: limitB },
  ];
  const keys = await Promise.all(
    tenants.map(async ({ id }) => ({
      id,
      key: `sk-test-${id}`,
      sha256: await sha256Hex(`sk-test-${id}`),
    })),
  );
  const call = appWith(
    configWith((c) => {
      for (const [i, { id, limit }] of tenants.entries()) {
        c.quotas = { ...c.quotas, [id]: { requestsPerMinute: limit, tokensPerMinute: 1_000_000 } };
        c.tenants.push({ id, class: id, keys: [{ id: `${id}-1`, sha256: keys[i]?.sha256 ?? '' }] });
      }
    }),
  );
  return (tenant: 'A' | 'B') =>
    call({
      key: keys[tenant === 'A' ? 0 : 1]?.key ?? null,
      // Pinned to the edge tier: the classifier's verdict must not send it to regional.
      body: { model: 'fast', messages: SHORT },
    });
};

describe('tenant isolation of quotas', () => {
  it("whatever the interleaving, one tenant's exhausted quota never refuses another's request", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 4 }),
        fc.infiniteStream(fc.boolean()),
        async (limitA, overA, requestsB, coin) => {
          // A sends past its limit while B sends within its own; the order is drawn.
          const order: ('A' | 'B')[] = [];
          let a = limitA + overA;
          let b = requestsB;
          const coins = coin[Symbol.iterator]();
          while (a + b > 0) {
            const pickA = b === 0 || (a > 0 && coins.next().value === true);
            order.push(pickA ? 'A' : 'B');
            if (pickA) a--;
            else b--;
          }
          const send = await twoTenants(limitA, requestsB);
          await awayFromMinuteBoundary();
          const statuses = await Promise.all(
            order.map((tenant) => send(tenant).then((r) => r.status)),
          );
          const of = (tenant: 'A' | 'B') => statuses.filter((_, i) => order[i] === tenant);
          expect(of('B')).toEqual(Array.from({ length: requestsB }, () => 200));
          expect(of('A').filter((s) => s === 200)).toHaveLength(limitA);
          expect(of('A').filter((s) => s === 429)).toHaveLength(overA);
        },
      ),
      { numRuns: 12 },
    );
  });
});
