import {
  type AuditLog,
  createMemoryOverrideStore,
  type QuotaStore,
  type RouteOverrideStore,
  type RouterConfig,
  routeTargets,
  unknownRoute,
} from '@switchback/router-core';
import { Hono } from 'hono';
import { requestAuditEvent } from './audit/request-audit-event.ts';
import {
  type BackgroundWorkerConfig,
  type RegionalBackground,
  regionalBackground,
} from './background/regional-background.ts';
import type { AppEnv } from './http/app-env.ts';
import { errorHandler } from './http/error-handler.ts';
import { finishRequest, type LogSink } from './http/finish-request.ts';
import { createFrontDoor, type FrontDoor } from './http/front/front-door.ts';
import { toWebResponse, webExchange } from './http/front/web-exchange.ts';
import { authenticate, authenticateCaller } from './http/middleware/authenticate.ts';
import { recordRequest } from './http/middleware/record-request.ts';
import type { RequestRecord } from './http/request-record.ts';
import { chatCompletions } from './http/routes/chat-completions.ts';
import { healthBody } from './http/routes/healthz.ts';
import { metricsRoute } from './http/routes/metrics.ts';
import { opsRoute } from './http/routes/ops.ts';
import { outcomes } from './http/routes/outcomes.ts';
import { guardEvents, guardResponses, responses, storedResponse } from './http/routes/responses.ts';
import { frontDoorIdempotency } from './idempotency/front-door-idempotency.ts';
import { createRouterMetrics, type RouterMetrics } from './metrics/router-metrics.ts';
import type { Env } from './providers/create-provider.ts';
import { type Breakers, createBreakers } from './resilience/breaker-registry.ts';
import { createProviderRunner } from './resilience/provider-runner.ts';
import { composedAdmission } from './state/admission.ts';
import { shareBreakers } from './state/breaker-bus.ts';
import { guardState } from './state/guarded-state.ts';
import { createMemoryState } from './state/memory-state.ts';
import type { RegionalState, SessionStateStore } from './state/state-store.ts';
import { createUpstreams, type Upstreams } from './upstreams/upstreams.ts';

export type RegionalAppOptions = {
  config: RouterConfig;
  /** Shared across the apps of successive configs (hot reload, canary); a registry of its own by default. */
  metrics?: RouterMetrics | undefined;
  /** Shared with the edge (`SWITCHBACK_HMAC_SECRET`); without it, escalations are refused. */
  hmacSecret?: string | undefined;
  /** Where provider credentials are read (`apiKeyEnv`); `process.env` by default. */
  env?: Env;
  /** One entry per request (and per unexpected failure); nothing is logged without it. */
  log?: LogSink;
  /** One signed audit event per finished chat request; none without it. */
  audit?: AuditLog | undefined;
  /**
   * Signs approval tokens of held side-effect calls; `SWITCHBACK_APPROVAL_SECRET`, else
   * `SWITCHBACK_AUDIT_SECRET`, from `env` by default. Without one no held call can be approved.
   */
  approvalSecret?: string | undefined;
  /** Told of every finished chat request (the rollout gate counts them per side). */
  onFinished?: ((record: RequestRecord) => void) | undefined;
  /**
   * Tenant quota windows, shared across the apps of successive configs like `metrics`; the
   * state's by default.
   */
  quotas?: QuotaStore | undefined;
  /** Operators' forced tiers and models per tenant, shared like `quotas`; in memory by default. */
  overrides?: RouteOverrideStore | undefined;
  /**
   * Quotas, sessions, nonces and idempotency records, shared across the apps of successive
   * configs and, on Redis, across replicas (`state` in the config); this app's memory by default.
   */
  state?: RegionalState | undefined;
  /** How this replica takes background jobs off a shared queue (Redis state); 4 at a time by default. */
  backgroundWorker?: BackgroundWorkerConfig | undefined;
};

export type RegionalApp = {
  app: Hono<AppEnv>;
  fetch: Hono<AppEnv>['fetch'];
  /** The hot routes (chat, models) on any server's exchange; `fetch` and Node's server call it. */
  frontDoor: FrontDoor;
  breakers: Breakers;
  upstreams: Upstreams;
  metrics: RouterMetrics;
  quotas: QuotaStore;
  overrides: RouteOverrideStore;
  /** Sessions (front door): the state's, a bounded LRU in memory. */
  sessions: SessionStateStore;
  /** `background: true` runs: their queue, and the worker taking them (stopped by `close`). */
  background: RegionalBackground;
  /** Stops the breakers' timers and closes every upstream connection. */
  close(): void;
};

// Keys the tenant-namespaced affinity hash when no HMAC secret is set. The hash only keeps
// tenants apart and session ids out of provider logs; it guards nothing, so a constant will do.
const DEFAULT_AFFINITY_SECRET = 'switchback-affinity-v1';

/** The regional service as a Hono app, without a server: tests and `startRegionalServer` use it. */
export const createRegionalApp = (options: RegionalAppOptions): RegionalApp => {
  const { config, hmacSecret, log } = options;
  const env = options.env ?? process.env;
  const breakers = createBreakers(config.breaker);
  const upstreams = createUpstreams(config, env, breakers);
  const metrics = options.metrics ?? createRouterMetrics(breakers);
  const runner = createProviderRunner({
    upstreams,
    breakers,
    retry: config.retry,
    onAttempt: (attempt) => metrics.recordAttempt(attempt),
  });
  const regionalTargets = routeTargets(config, 'regional');
  const state = options.state ?? guardState(createMemoryState());
  const quotas = options.quotas ?? state.quotas;
  const overrides = options.overrides ?? createMemoryOverrideStore();
  const sessions = state.sessions;
  const storedResponses = guardResponses(state.responses);
  const responseEvents = state.events === undefined ? undefined : guardEvents(state.events);
  const unshareBreakers =
    state.breakerBus === undefined ? undefined : shareBreakers(breakers, state.breakerBus);

  const app = new Hono<AppEnv>();
  const background = regionalBackground(
    {
      config,
      store: storedResponses,
      chat: (request) => app.fetch(request),
      events: responseEvents,
    },
    state.jobs,
    options.backgroundWorker,
    hmacSecret,
  );
  const finish = finishRequest(metrics, log);
  const audit = options.audit;
  const approvalSecret =
    options.approvalSecret ??
    (env.SWITCHBACK_APPROVAL_SECRET || env.SWITCHBACK_AUDIT_SECRET || undefined);
  const onFinish = (record: RequestRecord) => {
    const durationMs = performance.now() - record.startedAt;
    finish(record);
    if (record.chat) options.onFinished?.(record);
    if (audit && record.chat) {
      // Built synchronously, so events are appended in the order their requests finished. A
      // failed append was told to the log's onError already.
      const event = requestAuditEvent(record, durationMs);
      audit.append({ ...event, config_version: config.version }).catch(() => {});
    }
  };
  const auth = {
    config,
    hmacSecret: hmacSecret || undefined,
    nonces: state.nonces,
    jobs: background.jobs,
  };
  const frontDoor = createFrontDoor({
    config,
    authenticate: authenticateCaller(auth),
    idempotency: frontDoorIdempotency({
      config,
      store: state.idempotency,
      failures: state.failures,
    }),
    chat: chatCompletions({
      config,
      runner,
      approvalSecret,
      sessions,
      quotas,
      // One round trip for the quota, session and claim, unless quotas are kept apart from the state.
      admission:
        quotas === state.quotas
          ? state.admission
          : composedAdmission({ quotas, sessions, idempotency: state.idempotency }),
      overrides,
      checkpoints: state.checkpoints,
      stateFailures: state.failures,
      affinitySecret: hmacSecret || DEFAULT_AFFINITY_SECRET,
      regionalAvailable: () => regionalTargets.some((target) => upstreams.available(target)),
    }),
    onFinish,
    log,
    health: () => healthBody(config, breakers),
  });
  // Before every middleware: the front door runs its own stages (record, auth, idempotency).
  app.post('/v1/chat/completions', async (c) =>
    toWebResponse(await frontDoor(webExchange(c.req.raw), 'chat')),
  );
  app.get('/v1/models', async (c) =>
    toWebResponse(await frontDoor(webExchange(c.req.raw), 'models')),
  );
  app.get('/healthz', async (c) =>
    toWebResponse(await frontDoor(webExchange(c.req.raw), 'health')),
  );
  app.use('*', recordRequest({ onFinish }));
  app.get('/metrics', metricsRoute(metrics));
  const ops = { config, approvalSecret, breakers, quotas, overrides, audit };
  app.post('/ops/approvals', opsRoute('approvals', ops));
  app.post('/ops/overrides', opsRoute('overrides', ops));
  // Before the `/v1/*` middleware: it serves through the chat route below, which runs them.
  app.post(
    '/v1/responses',
    responses({
      config,
      chat: (request) => app.fetch(request),
      store: storedResponses,
      background: background.queue,
      events: responseEvents,
    }),
  );
  app.use('/v1/*', authenticate(auth));
  app.get('/v1/responses/:id', storedResponse('get', storedResponses, undefined, responseEvents));
  app.delete('/v1/responses/:id', storedResponse('delete', storedResponses));
  app.get('/v1/responses/:id/input_items', storedResponse('input_items', storedResponses));
  app.post('/v1/responses/:id/cancel', storedResponse('cancel', storedResponses, background.queue));
  app.post('/v1/outcomes', outcomes({ config, metrics }));
  app.all('*', (c) => {
    throw unknownRoute(c.req.method, c.req.path);
  });
  app.onError(errorHandler(log));

  return {
    app,
    fetch: app.fetch,
    frontDoor,
    breakers,
    upstreams,
    metrics,
    quotas,
    overrides,
    sessions,
    background,
    close() {
      // A reload's old app lets its runs end; a replica that exits leaves their leases to expire.
      background.drain();
      unshareBreakers?.();
      breakers.shutdown();
      upstreams.close();
    },
  };
};
