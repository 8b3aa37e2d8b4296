import {
  type CanaryRole,
  costUsd,
  createMemoryOverrideStore,
  createRolloutGate,
  decidedByCandidate,
  type RolloutGate,
  type RouterConfig,
} from '@switchback/router-core';
import {
  createRegionalApp,
  type RegionalApp,
  type RegionalAppOptions,
} from '../create-regional-app.ts';
import type { Exchange, HeaderView, Reply } from '../http/front/exchange.ts';
import type { FrontDoorRoute } from '../http/front/front-door.ts';
import { toWebResponse, webExchange } from '../http/front/web-exchange.ts';
import type { RequestRecord } from '../http/request-record.ts';
import { createRouterMetrics, type RouterMetrics } from '../metrics/router-metrics.ts';
import { guardState } from '../state/guarded-state.ts';
import { createMemoryState } from '../state/memory-state.ts';
import type { LiveConfig } from './load-live-config.ts';

export type LiveRegionalOptions = Omit<RegionalAppOptions, 'config' | 'metrics' | 'onFinished'> & {
  live: LiveConfig;
  /** The rollout gate's clock (epoch ms); `Date.now` by default. */
  now?: () => number;
  /** Told of each decision of the rollout gate, after it took effect. */
  onRolloutDecision?: (event: GateVerdictEvent) => void;
};

type GateVerdictEvent = NonNullable<ReturnType<RolloutGate['verdict']>>['event'];

/** The apps serving now: the stable config's and, during a canary, the candidate's. */
export type Generation = {
  stable: RegionalApp;
  stableVersion: string;
  candidate?: { app: RegionalApp; version: string; percent: number } | undefined;
  /** The rollout gate of this canary, when its config has `rollout.gate`. */
  gate?: RolloutGate | undefined;
};

/**
 * The regional service over configs that change while it runs (hot reload, canary). Each request
 * is handed to the app of the config current when it arrived and finishes there; a replaced app
 * is closed once its longest budget has passed. Metrics live in one registry across configs,
 * with `router_config_requests_total{version,role}` saying which config decided each request.
 */
export type LiveRegional = {
  fetch(request: Request): Promise<Response>;
  /** A front-door route (chat, models, health) on any server's exchange, by the same split as `fetch`. */
  serve(ex: Exchange, route: FrontDoorRoute): Promise<Reply>;
  /** Serves `next` from the next request on. The caller has validated it. */
  replace(next: LiveConfig): void;
  current(): Generation;
  metrics: RouterMetrics;
  close(): void;
};

const longestBudgetMs = (config: RouterConfig): number =>
  Math.max(
    config.budgets.default.totalMs,
    ...Object.values(config.budgets.workflows).map((b) => b.totalMs),
  );
const longestOf = (live: LiveConfig): number =>
  Math.max(
    longestBudgetMs(live.config),
    live.candidate === undefined ? 0 : longestBudgetMs(live.candidate.config),
  );

const CHAT_PATH = '/v1/chat/completions';

// Beyond the deadline: the app's last responses must be written before its upstreams close.
const DRAIN_MARGIN_MS = 1_000;

type CanaryShare = { version: string; percent: number };

/** `/healthz` of the stable app, saying which candidate decides what share during a canary. */
const withCanaryReply = (reply: Reply, candidate: CanaryShare): Reply =>
  reply.kind !== 'body' || reply.status !== 200
    ? reply
    : {
        ...reply,
        body: JSON.stringify({
          ...(JSON.parse(reply.body) as Record<string, unknown>),
          canary: { version: candidate.version, percent: candidate.percent },
        }),
      };

export const createLiveRegional = (options: LiveRegionalOptions): LiveRegional => {
  const { live, ...rest } = options;
  // One quota store for every generation: a reload or a canary must not hand out fresh allowances.
  const state = rest.state ?? guardState(createMemoryState());
  const shared = {
    ...rest,
    state,
    quotas: rest.quotas ?? state.quotas,
    // An operator's forced route outlives a reload, as quota windows do.
    overrides: rest.overrides ?? createMemoryOverrideStore(),
  };
  let generation: Generation;
  const retiring = new Set<{ apps: RegionalApp[]; timer: ReturnType<typeof setTimeout> }>();
  const metrics = createRouterMetrics({
    snapshot: () => [
      ...generation.stable.breakers.snapshot(),
      ...(generation.candidate?.app.breakers.snapshot() ?? []),
    ],
  });

  state.failures.listen((failure) => metrics.recordStateFailure(failure));

  const now = options.now ?? Date.now;
  let replace: (next: LiveConfig) => void = () => {};

  /** Feeds the gate one finished request of a side and carries out its verdict, once. */
  const gated =
    (next: LiveConfig, gate: RolloutGate, role: CanaryRole) => (record: RequestRecord) => {
      gate.observe(role, {
        outcome: record.outcome ?? 'transient',
        ttftMs: record.budgets?.ttftObservedMs(),
        costUsd: record.usage && record.price ? costUsd(record.usage, record.price) : 0,
      });
      const verdict = gate.verdict(now());
      if (verdict === undefined || generation.gate !== gate || next.candidate === undefined) return;
      // Promotion serves the candidate alone; a rollback, the stable config alone.
      replace({ config: verdict.decision === 'promote' ? next.candidate.config : next.config });
      void rest.audit?.append(verdict.event).catch(() => {});
      options.onRolloutDecision?.(verdict.event);
    };

  const build = (next: LiveConfig): Generation => {
    const settings = next.config.rollout?.gate;
    const gate =
      next.candidate === undefined || settings === undefined
        ? undefined
        : createRolloutGate({
            settings,
            stableVersion: next.config.version,
            candidateVersion: next.candidate.config.version,
            startedAt: now(),
          });
    const onFinished = (role: CanaryRole) => (gate ? gated(next, gate, role) : undefined);
    return {
      stable: createRegionalApp({
        ...shared,
        config: next.config,
        metrics,
        onFinished: onFinished('stable'),
      }),
      stableVersion: next.config.version,
      candidate:
        next.candidate === undefined
          ? undefined
          : {
              app: createRegionalApp({
                ...shared,
                config: next.candidate.config,
                metrics,
                onFinished: onFinished('candidate'),
              }),
              version: next.candidate.config.version,
              percent: next.candidate.percent,
            },
      gate,
    };
  };
  const appsOf = (g: Generation): RegionalApp[] =>
    g.candidate === undefined ? [g.stable] : [g.stable, g.candidate.app];
  let longest = longestOf(live);
  generation = build(live);

  replace = (next) => {
    const old = generation;
    const drainMs = longest + DRAIN_MARGIN_MS;
    generation = build(next);
    longest = longestOf(next);
    const entry = {
      apps: appsOf(old),
      timer: setTimeout(() => {
        retiring.delete(entry);
        for (const app of entry.apps) app.close();
      }, drainMs),
    };
    entry.timer.unref();
    retiring.add(entry);
  };

  /** The app a request goes to: a chat request by the canary's split, anything else stable's. */
  const appFor = (g: Generation, chat: boolean, headers: HeaderView): RegionalApp => {
    if (!chat) return g.stable;
    const candidate =
      g.candidate !== undefined && decidedByCandidate(headers, g.candidate.percent)
        ? g.candidate
        : undefined;
    metrics.recordConfigRequest(
      candidate?.version ?? g.stableVersion,
      candidate === undefined ? 'stable' : 'candidate',
    );
    return candidate?.app ?? g.stable;
  };

  const serve: LiveRegional['serve'] = (ex, route) => {
    const g = generation;
    const reply = appFor(g, route === 'chat', ex.headers).frontDoor(ex, route);
    return route === 'health' && g.candidate !== undefined
      ? reply.then((r) => withCanaryReply(r, g.candidate as CanaryShare))
      : reply;
  };

  return {
    metrics,
    current: () => generation,
    fetch(request) {
      const path = new URL(request.url).pathname;
      // The health check as Node's server answers it, the canary share included.
      if (request.method === 'GET' && path === '/healthz') {
        return serve(webExchange(request), 'health').then(toWebResponse);
      }
      const app = appFor(
        generation,
        request.method === 'POST' && path === CHAT_PATH,
        request.headers,
      );
      return Promise.resolve(app.fetch(request));
    },
    serve,
    replace: (next) => replace(next),
    close() {
      for (const entry of retiring) {
        clearTimeout(entry.timer);
        for (const app of entry.apps) app.close();
      }
      retiring.clear();
      for (const app of appsOf(generation)) app.close();
    },
  };
};
