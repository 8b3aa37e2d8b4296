import { describe, expect, it } from 'vitest';
import { MIN_SHARE_CHARS, ReadBudget } from './read-budget.ts';

describe('ReadBudget', () => {
  it('shares the budget evenly, and a short text leaves the rest of its share to those after', () => {
    const budget = new ReadBudget(900, 3);
    expect([budget.take(100), budget.take(5_000), budget.take(5_000)]).toEqual([100, 400, 400]);
  });

  it('counts what was spent first (the ask) before sharing', () => {
    const budget = new ReadBudget(1_000, 2);
    budget.spend(600);
    expect([budget.take(5_000), budget.take(5_000)]).toEqual([200, 200]);
  });

  it('reads every text at least a few characters, even past the budget', () => {
    const budget = new ReadBudget(100, 50);
    const shares = Array.from({ length: 50 }, () => budget.take(420));
    expect(new Set(shares)).toEqual(new Set([MIN_SHARE_CHARS]));
    expect(budget.take(3)).toBe(3);
  });
});
