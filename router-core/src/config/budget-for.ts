import type { BudgetConfig, RouterConfig } from './schema.ts';

/** The budgets of a workflow class (`x-workflow`), else the default ones. */
export const budgetFor = (config: RouterConfig, workflow?: string): BudgetConfig =>
  (workflow === undefined ? undefined : config.budgets.workflows[workflow]) ??
  config.budgets.default;
