import { afterEach, describe, expect, it, vi } from 'vitest';
import { RouterError } from '../errors/router-error.ts';
import { createBudgets } from './budgets.ts';

const budget = { ttftMs: 1000, totalMs: 5000, policyMs: 5 };

const clock = () => {
  let t = 100;
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

afterEach(() => {
  vi.useRealTimers();
});

describe('createBudgets', () => {
  it('times policy, classify and the first token apart in server-timing', () => {
    const c = clock();
    const b = createBudgets(budget, c.now);
    b.startPhase('policy');
    c.advance(0.2);
    b.endPhase('policy');
    b.startPhase('classify');
    c.advance(0.05);
    b.endPhase('classify');
    c.advance(120.05);
    b.firstToken();
    c.advance(279.8);
    expect(b.serverTiming({ final: false })).toBe(
      'policy;dur=0.2, classify;dur=0.05, ttft;dur=120.3',
    );
    expect(b.serverTiming({ final: true })).toBe(
      'policy;dur=0.2, classify;dur=0.05, ttft;dur=120.3, total;dur=400.1',
    );
    expect(b.exceeded()).toEqual([]);
    b.dispose();
  });

  it.each([
    {
      name: 'a slow policy check blows the policy budget',
      policy: 6,
      ttft: 10,
      total: 20,
      exceeded: ['policy'],
    },
    {
      name: 'a late first token blows the TTFT budget',
      policy: 1,
      ttft: 1500,
      total: 2000,
      exceeded: ['ttft'],
    },
    {
      name: 'a long answer blows the total budget',
      policy: 1,
      ttft: 10,
      total: 6000,
      exceeded: ['total'],
    },
    {
      name: 'everything slow blows all three',
      policy: 9,
      ttft: 1200,
      total: 7000,
      exceeded: ['policy', 'ttft', 'total'],
    },
  ])('$name', ({ policy, ttft, total, exceeded }) => {
    const c = clock();
    const b = createBudgets(budget, c.now);
    b.startPhase('policy');
    c.advance(policy);
    b.endPhase('policy');
    c.advance(ttft - policy);
    b.firstToken();
    c.advance(total - ttft);
    expect(b.exceeded()).toEqual(exceeded);
    b.dispose();
  });

  it('counts a first token that has not come yet against the TTFT budget', () => {
    const c = clock();
    const b = createBudgets(budget, c.now);
    c.advance(400);
    expect(b.ttftRemainingMs()).toBe(600);
    c.advance(700);
    expect(b.exceeded()).toEqual(['ttft']);
    expect(b.ttftObservedMs()).toBeUndefined();
    expect(b.remainingMs()).toBe(3900);
    b.firstToken();
    expect(b.ttftRemainingMs()).toBe(Infinity);
    b.dispose();
  });

  it('keeps the first of several first tokens', () => {
    const c = clock();
    const b = createBudgets(budget, c.now);
    c.advance(10);
    b.firstToken();
    c.advance(10);
    b.firstToken();
    expect(b.ttftObservedMs()).toBe(10);
    b.dispose();
  });

  it('aborts the total signal at the end-to-end deadline with budget_exceeded', () => {
    vi.useFakeTimers();
    const b = createBudgets(budget);
    vi.advanceTimersByTime(4999);
    expect(b.totalSignal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(b.totalSignal.aborted).toBe(true);
    expect(b.totalSignal.reason).toBeInstanceOf(RouterError);
    expect((b.totalSignal.reason as RouterError).code).toBe('budget_exceeded');
  });

  it('never aborts once disposed', () => {
    vi.useFakeTimers();
    const b = createBudgets(budget);
    b.dispose();
    vi.advanceTimersByTime(10_000);
    expect(b.totalSignal.aborted).toBe(false);
  });

  it('leaves out phases that did not run', () => {
    const c = clock();
    const b = createBudgets(budget, c.now);
    c.advance(3);
    expect(b.serverTiming({ final: true })).toBe('total;dur=3');
    expect(b.phaseMs('classify')).toBeUndefined();
    b.dispose();
  });
});
