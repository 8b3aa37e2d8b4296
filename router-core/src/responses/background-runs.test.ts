import { describe, expect, it } from 'vitest';
import { createBackgroundRuns, runKey } from './background-runs.ts';

describe('background runs', () => {
  it('abort the cancelled run only, once, and forget ended ones', () => {
    const runs = createBackgroundRuns();
    const a = runs.start(runKey('t', 'resp_a'));
    const b = runs.start(runKey('t', 'resp_b'));
    expect(runs.cancel(runKey('other', 'resp_a'))).toBe(false);
    expect(runs.cancel(runKey('t', 'resp_a'))).toBe(true);
    expect([a.aborted, b.aborted]).toEqual([true, false]);
    expect(runs.cancel(runKey('t', 'resp_a'))).toBe(false);
    runs.end(runKey('t', 'resp_b'));
    expect(runs.cancel(runKey('t', 'resp_b'))).toBe(false);
    expect(b.aborted).toBe(false);
    expect(runs.size).toBe(0);
  });
});
