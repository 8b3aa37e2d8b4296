import { type RouterConfig, RouterError, tenantScopedName } from '@switchback/router-core';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.ts';
import type { QuotaLimits } from '../objects/quota-object.ts';

export type QuotaOptions = { config: RouterConfig };

const WINDOW_MS = 60_000;

/** Prompt tokens, roughly, from the body's size: enough to meter before anything is counted. */
export const estimatePromptTokens = (rawBody: string): number => Math.ceil(rawBody.length / 4);

/**
 * The tenant's quota per request class (`x-workflow`): one request and the prompt's estimated
 * tokens are taken from the minute's window, or 429 `quota_exceeded` with `retry-after`. The
 * completion's tokens are added once the usage is known (`c.var.accountUsage`).
 */
export const quota = ({ config }: QuotaOptions): MiddlewareHandler<AppEnv> =>
  async function quota(c, next) {
    const { tenant, workflow, rawBody } = c.var;
    const perMinute = config.quotas[tenant.class];
    if (perMinute === undefined) return next();
    const limits: QuotaLimits = {
      requests: perMinute.requestsPerMinute,
      tokens: perMinute.tokensPerMinute,
      windowMs: WINDOW_MS,
    };
    const stub = c.env.QUOTAS.getByName(tenantScopedName(tenant.id, workflow ?? 'default'));
    const estimate = estimatePromptTokens(rawBody);
    const verdict = await stub.consume({ tokens: estimate, limits });
    if (!verdict.ok) {
      const what = verdict.exhausted === 'requests' ? 'requests' : 'tokens';
      throw new RouterError(
        'quota_exceeded',
        `Quota exceeded: ${what} per minute for workflow '${workflow ?? 'default'}'. Retry after the window resets.`,
        { retryAfterSeconds: verdict.retryAfterMs / 1000 },
      );
    }
    c.set('accountUsage', (usage) => {
      const extra = usage.total_tokens - estimate;
      if (extra > 0) {
        c.executionCtx.waitUntil(stub.record({ tokens: extra, windowMs: WINDOW_MS }));
      }
    });
    await next();
  };
