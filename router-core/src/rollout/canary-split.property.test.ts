import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decidedByCandidate } from './canary-split.ts';

const headersOf = (values: Record<string, string>) => ({
  get: (name: string) => values[name] ?? null,
});

describe('the canary split', () => {
  it('keeps a session on one side whatever its request ids and the random draw', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.array(fc.tuple(fc.string(), fc.double({ min: 0, max: 0.9999, noNaN: true })), {
          minLength: 2,
          maxLength: 8,
        }),
        (session, percent, requests) => {
          for (const header of ['x-session-affinity', 'x-session-id']) {
            const sides = requests.map(([requestId, draw]) =>
              decidedByCandidate(
                headersOf({ [header]: session, 'x-request-id': requestId }),
                percent,
                () => draw,
              ),
            );
            expect(new Set(sides).size).toBe(1);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never moves a session back to stable when the percent grows', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (session, a, b) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          const headers = headersOf({ 'x-session-affinity': session });
          if (decidedByCandidate(headers, low))
            expect(decidedByCandidate(headers, high)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
