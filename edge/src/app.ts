import { type RouterConfig, toErrorResponse, unknownRoute } from '@switchback/router-core';
import { Hono } from 'hono';
import type { AppEnv } from './env.ts';
import { admission } from './middleware/admission.ts';
import { answerTools } from './middleware/answer-tools.ts';
import { audit } from './middleware/audit.ts';
import { auth } from './middleware/auth.ts';
import { idempotency } from './middleware/idempotency.ts';
import { phase } from './middleware/phase.ts';
import { policy } from './middleware/policy.ts';
import { quota, rateLimitHeaders, routedQuota } from './middleware/quota.ts';
import { routing } from './middleware/routing.ts';
import { timing } from './middleware/timing.ts';
import { Breaker } from './regional/breaker.ts';
import { chatCompletions } from './routes/chat-completions.ts';
import { healthz } from './routes/healthz.ts';
import { listModels } from './routes/models.ts';
import { opsRoute, rolloutApply, rolloutRead } from './routes/ops.ts';
import { responses, storedResponse } from './routes/responses.ts';

export type AppOptions = {
  config: RouterConfig;
  /** How the Worker reaches regional (tests); `fetch` by default. */
  fetcher?: typeof fetch;
};

/**
 * The edge Worker's app. Chat requests pass, in order: timing (request id, budgets,
 * server-timing), auth, audit (one event per request, sent once it has ended), admission, the
 * `policy` phase (policy checks, the idempotency claim, quota), routing (`classify` phase), the quota's
 * routed draw (`long-context`, `regional`), then serving; `x-ratelimit-*` go on every answer.
 * One `onError` turns every failure into OpenAI's envelope. The regional breaker lives as long as
 * the app (one per isolate).
 */
export const createApp = ({ config, fetcher }: AppOptions) => {
  const breaker = new Breaker(config.breaker);
  const app = new Hono<AppEnv>();

  app.onError((error) => toErrorResponse(error));
  app.notFound((c) => toErrorResponse(unknownRoute(c.req.method, c.req.path)));

  app.get('/healthz', healthz({ config, breaker }));
  // Operators' credentials, never tenant keys: these take no `/v1/*` middleware.
  app.post('/ops/approvals', opsRoute('approvals', { config, breaker }));
  app.post('/ops/overrides', opsRoute('overrides', { config, breaker }));
  app.get('/ops/rollout', rolloutRead({ config }));
  app.post('/ops/rollout', rolloutApply({ config }));
  // Before the `/v1/*` middleware: it serves through the chat route below, which runs them.
  app.post(
    '/v1/responses',
    responses({ config, chat: (req, env, ctx) => app.fetch(req, env, ctx) }),
  );
  app.use('/v1/*', timing({ config }), auth({ config }));
  app.get('/v1/models', listModels({ config }));
  app.get('/v1/responses/:id', storedResponse('get'));
  app.delete('/v1/responses/:id', storedResponse('delete'));
  app.get('/v1/responses/:id/input_items', storedResponse('input_items'));
  app.post('/v1/responses/:id/cancel', storedResponse('cancel'));
  app.post(
    '/v1/chat/completions',
    audit({ config }),
    rateLimitHeaders(),
    admission({ config }),
    // An idempotency key is claimed before the quota is drawn: a replay draws nothing (as at
    // regional), and a refused draw releases the key.
    phase('policy', policy({ config }), idempotency(), quota({ config })),
    routing({ config, breaker }),
    routedQuota(),
    answerTools({ config }),
    chatCompletions({ breaker, ...(fetcher === undefined ? {} : { fetcher }) }),
  );
  return app;
};
