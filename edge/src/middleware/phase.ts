import type { BudgetPhase } from '@switchback/router-core';
import type { MiddlewareHandler } from 'hono';
import { every } from 'hono/combine';
import type { AppEnv } from '../env.ts';

/**
 * Runs `middleware` in order as one timed budget phase (a `server-timing` entry). The phase ends
 * when the last of them hands on, so the rest of the chain is not counted in it.
 */
export const phase = (
  name: BudgetPhase,
  ...middleware: MiddlewareHandler<AppEnv>[]
): MiddlewareHandler<AppEnv> => {
  const inner = every(...middleware);
  return async function phase(c, next) {
    const { budgets } = c.var;
    let open = true;
    const end = () => {
      if (open) budgets.endPhase(name);
      open = false;
    };
    budgets.startPhase(name);
    try {
      await inner(c, async () => {
        end();
        await next();
      });
    } finally {
      end();
    }
  };
};
