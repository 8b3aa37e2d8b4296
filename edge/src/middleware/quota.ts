import {
  createQuotaMeter,
  estimatePromptTokens,
  type RouterConfig,
  rateLimitHeaders as rateLimitHeadersOf,
  tracedAsync,
} from '@switchback/router-core';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.ts';
import { durableQuotaStore } from '../objects/quota-object-store.ts';

export type QuotaOptions = { config: RouterConfig };

/**
 * The tenant's quota, first draw (router-core's `createQuotaMeter` says which buckets, and why
 * two draws): one request and the prompt's estimated tokens from the class of the request's
 * workflow (admission has already turned an unconfigured `x-workflow` into none), else 429
 * `quota_exceeded` with `retry-after`. The completion's tokens are added once the usage is known
 * (`c.var.accountUsage`).
 */
export const quota = ({ config }: QuotaOptions): MiddlewareHandler<AppEnv> =>
  async function quota(c, next) {
    const { tenant, workflow, rawBody } = c.var;
    const meter = createQuotaMeter({
      config,
      store: durableQuotaStore(c.env.QUOTAS),
      tenant,
      workflow,
      estimatedTokens: estimatePromptTokens(rawBody),
    });
    c.set('quota', meter);
    await tracedAsync(c.var.policyTrace, 'quota', () => meter.admit());
    c.set('accountUsage', (usage) => {
      c.executionCtx.waitUntil(meter.account(usage));
    });
    await next();
  };

/**
 * The quota's second draw, once routing has decided: `long-context` for a long context, and
 * `regional` for a request decided regional, where the tenant class configures them. A refusal
 * gives the first draw back.
 */
export const routedQuota = (): MiddlewareHandler<AppEnv> =>
  async function routedQuota(c, next) {
    await c.var.quota?.route({
      contextTier: c.var.classification.context,
      tier: c.var.decision.tier,
    });
    await next();
  };

/**
 * OpenAI's `x-ratelimit-*` headers on every answer past admission, success or not (429
 * included): the tightest request class the request drew from. Runs outermost of the quota's
 * middleware, since a refusal reaches it as the error response `onError` made.
 */
export const rateLimitHeaders = (): MiddlewareHandler<AppEnv> =>
  async function rateLimitHeaders(c, next) {
    await next();
    const headers = Object.entries(rateLimitHeadersOf(c.var.quota?.snapshot));
    if (headers.length === 0) return;
    try {
      for (const [name, value] of headers) c.res.headers.set(name, value);
    } catch {
      // A response with immutable headers (as `fetch` returns them): the same body, new headers.
      const res = new Response(c.res.body, c.res);
      for (const [name, value] of headers) res.headers.set(name, value);
      c.res = res;
    }
  };
