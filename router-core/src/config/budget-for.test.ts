import { describe, expect, it } from 'vitest';
import { exampleConfig } from '../../test/example-config.ts';
import { budgetFor } from './budget-for.ts';

describe('budgetFor', () => {
  it.each([
    { workflow: undefined, ttftMs: 2000 },
    { workflow: 'chat', ttftMs: 1000 },
    { workflow: 'batch', ttftMs: 10000 },
    { workflow: 'unknown-workflow', ttftMs: 2000 },
  ])('workflow $workflow gets a TTFT budget of $ttftMs ms', ({ workflow, ttftMs }) => {
    expect(budgetFor(exampleConfig, workflow).ttftMs).toBe(ttftMs);
  });
});
