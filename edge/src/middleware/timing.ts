import {
  budgetFor,
  createBudgets,
  type RouterConfig,
  requestIdFrom,
} from '@switchback/router-core';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.ts';

export type TimingOptions = { config: RouterConfig };

/**
 * Starts the request's clocks (the budgets of its `x-workflow`), echoes or mints `x-request-id`,
 * and stamps `server-timing` on whatever answer comes back, errors included. A streaming answer
 * is stamped when its headers go out, after the first token: `ttft` but no `total`.
 */
export const timing = ({ config }: TimingOptions): MiddlewareHandler<AppEnv> =>
  async function timing(c, next) {
    const requestId = requestIdFrom(c.req.header('x-request-id'));
    const workflow = c.req.header('x-workflow');
    const budgets = createBudgets(budgetFor(config, workflow));
    c.set('requestId', requestId);
    c.set('workflow', workflow);
    c.set('budgets', budgets);
    await next();
    const streaming = c.res.headers.get('content-type')?.startsWith('text/event-stream') ?? false;
    c.res.headers.set('x-request-id', requestId);
    c.res.headers.set('server-timing', budgets.serverTiming({ final: !streaming }));
    // A stream's deadline keeps running until the stream ends; serving disposes it then.
    if (!streaming) budgets.dispose();
  };
