// A hostile generator for the headers (and body field) that name state: every request carries
// values never seen before in `x-workflow`, `x-session-affinity`, `idempotency-key`,
// `x-request-id` and `user`. Both doors must answer them from a fixed allowance and fixed
// memory: a fresh value is never a fresh quota, and what the door keeps per value is capped.
import fc from 'fast-check';

/** The request headers that name state (the body's `user` is the other session key). */
export const STATE_HEADERS = [
  'x-workflow',
  'x-session-affinity',
  'idempotency-key',
  'x-request-id',
] as const;

export type DistinctRequest = { headers: Record<string, string>; body: string };

// Well-formed values mostly (they reach the quota and the session code), some of them odd; the
// index keeps every value of a run distinct whatever the generator draws.
const part = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[a-z0-9]{1,12}$/) },
  { weight: 1, arbitrary: fc.stringMatching(/^[\x21-\x7e]{1,40}$/) },
);

/**
 * `runs` requests with a distinct value in every state header and in `user`, for `model`.
 * Deterministic for a `seed`.
 */
export const distinctHeaderRequests = (
  runs: number,
  options: { model: string; seed?: number },
): DistinctRequest[] => {
  const parts = fc.sample(fc.array(part, { minLength: 5, maxLength: 5 }), {
    numRuns: runs,
    seed: options.seed ?? 21,
  });
  return parts.map((drawn, i) => {
    const value = (k: number) => `${drawn[k] ?? 'v'}-${i}`;
    const headers: Record<string, string> = {};
    STATE_HEADERS.forEach((name, k) => {
      // x-workflow must look like one (else it is a 400 before any quota): lowercase, bounded.
      headers[name] =
        name === 'x-workflow'
          ? `w${i}-${(drawn[k] ?? '').toLowerCase().replace(/[^a-z0-9]/g, '')}`.slice(0, 64)
          : value(k);
    });
    return {
      headers,
      body: JSON.stringify({
        model: options.model,
        user: value(4),
        messages: [{ role: 'user', content: 'Say hello.' }],
      }),
    };
  });
};

/** Windows of the clock minute that `[startMs, endMs]` touches: a run's allowance is per window. */
export const windowsSpanned = (startMs: number, endMs: number): number =>
  Math.floor(endMs / 60_000) - Math.floor(startMs / 60_000) + 1;
