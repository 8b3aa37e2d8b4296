import { describe, expect, it } from 'vitest';
import type { Outcome } from '../errors/error-codes.ts';
import { createRolloutGate, type GateObservation } from './rollout-gate.ts';

const SETTINGS = {
  windowMs: 1_000,
  minRequests: 4,
  maxBurnRate: 6,
  maxTtftP95Ratio: 1.5,
  maxCostPerSuccessRatio: 1.25,
};

const gateWith = (stable: GateObservation[], candidate: GateObservation[]) => {
  const gate = createRolloutGate({
    settings: SETTINGS,
    stableVersion: 's',
    candidateVersion: 'c',
    startedAt: 0,
  });
  for (const o of stable) gate.observe('stable', o);
  for (const o of candidate) gate.observe('candidate', o);
  return gate;
};

const many = (n: number, o: Partial<GateObservation> = {}, outcome: Outcome = 'ok') =>
  Array.from({ length: n }, () => ({ outcome, ttftMs: 100, costUsd: 0.01, ...o }));

describe('the rollout gate decides', () => {
  it.each([
    [
      'nothing before both sides have minRequests',
      many(4),
      many(3, {}, 'transient'),
      10,
      undefined,
      [],
    ],
    [
      'nothing while the window is open and the candidate holds',
      many(4),
      many(4),
      999,
      undefined,
      [],
    ],
    [
      'promote when the window has passed',
      many(4),
      many(4),
      1_000,
      'promote',
      ['held for 1000 ms over 4 requests with no threshold crossed'],
    ],
    [
      'rollback on the burn rate',
      many(8),
      [...many(7), ...many(1, {}, 'transient')],
      10,
      'rollback',
      ['burn rate 125.00 > 6 (stable 0.00)'],
    ],
    [
      'no rollback for policy and quota rejections, which burn nothing',
      many(4),
      [
        ...many(4),
        ...many(4, { costUsd: 0, ttftMs: undefined }, 'deterministic'),
        ...many(4, { costUsd: 0, ttftMs: undefined }, 'quota'),
      ],
      1_000,
      'promote',
      ['held for 1000 ms over 12 requests with no threshold crossed'],
    ],
    [
      'rollback on TTFT p95',
      many(4),
      many(4, { ttftMs: 151 }),
      10,
      'rollback',
      ['TTFT p95 151.0 ms > 1.5 × stable 100.0 ms'],
    ],
    [
      'rollback on cost per success',
      many(4),
      many(4, { costUsd: 0.0126 }),
      10,
      'rollback',
      ['cost per success $0.0126 > 1.25 × stable $0.0100'],
    ],
  ])('%s', (_, stable, candidate, now, decision, reasons) => {
    const verdict = gateWith(stable, candidate).verdict(now);
    expect(verdict?.decision).toBe(decision);
    expect(verdict?.event.reasons ?? []).toEqual(reasons);
  });

  it('records both sides’ figures and decides once', () => {
    const gate = gateWith(many(4), [...many(3), ...many(1, {}, 'budget')]);
    const first = gate.verdict(5);
    expect(first?.event).toEqual({
      type: 'rollout_decision',
      ts: new Date(5).toISOString(),
      decision: 'rollback',
      stable_version: 's',
      candidate_version: 'c',
      window: { from: new Date(0).toISOString(), to: new Date(5).toISOString() },
      figures: {
        stable: {
          requests: 4,
          errors: 0,
          burn_rate: 0,
          ttft_p95_ms: 100,
          cost_usd: 0.04,
          successes: 4,
          cost_per_success_usd: 0.01,
        },
        candidate: {
          requests: 4,
          errors: 1,
          burn_rate: 250,
          ttft_p95_ms: 100,
          cost_usd: 0.04,
          successes: 3,
          cost_per_success_usd: 0.04 / 3,
        },
      },
      reasons: [
        'burn rate 250.00 > 6 (stable 0.00)',
        'cost per success $0.0133 > 1.25 × stable $0.0100',
      ],
    });
    gate.observe('candidate', many(1)[0] as GateObservation);
    expect(gate.verdict(2_000)).toBe(first);
  });
});
