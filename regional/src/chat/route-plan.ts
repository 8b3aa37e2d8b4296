import {
  type Budgets,
  type ChatCompletionRequest,
  type Classification,
  type CompactionResult,
  classify,
  compactConversation,
  type Decision,
  decide,
  nextSessionState,
  type PrefixHint,
  prefixHint,
  type ReasonCode,
  type RouteOverrideStore,
  type RouterConfig,
  type SessionState,
  type TenantConfig,
} from '@switchback/router-core';
import type { Caller } from '../auth/caller.ts';
import type { CompactionRun } from '../compaction/regional-compaction.ts';
import type { SessionStateStore } from '../state/state-store.ts';
import { readSession, type SessionRead } from './session-read.ts';

/** Where a request goes and what travels with it to the providers. */
export type RoutePlan = {
  decision: Decision;
  classification: Classification;
  /** For `x-router-reasons`: the edge's reasons for an escalation, the decision's otherwise. */
  reasons: ReasonCode[];
  /** Sent as `x-session-affinity` and used for backend stickiness. */
  affinityKey: string | undefined;
  prefix: PrefixHint | undefined;
  /** The session's checkpoint compaction: apply it to what providers are sent. */
  compaction: CompactionResult;
  /**
   * Remembers the turn for sticky routing (front door only), before the answer goes out, so the
   * session's next turn sees it on any replica. Never rejects: sessions fail open.
   */
  remember(served: Decision): Promise<void>;
  /** The same request re-decided as if regional were down (risk policy permitting). */
  degraded(): Decision;
};

export type PlanDeps = {
  config: RouterConfig;
  sessions: SessionStateStore;
  /** Keys the tenant-namespaced affinity hash. */
  affinitySecret: string;
  regionalAvailable: () => boolean;
  /** Operators' forced tiers and models (front door only: an escalation was decided at the edge). */
  overrides?: RouteOverrideStore | undefined;
};

/**
 * Classifies and decides. At the front door over both tiers, with the session's stickiness; for an
 * escalation from the edge, on the regional tier with the edge's affinity key and prefix hint.
 */
export const planRoute = async (
  deps: PlanDeps,
  input: {
    caller: Caller;
    request: ChatCompletionRequest;
    headers: { get(name: string): string | null };
    workflow: string | undefined;
    budgets: Pick<Budgets, 'startPhase' | 'endPhase'>;
    /** Checkpoint compaction, for an opted-in front-door request. */
    compaction?: CompactionRun | undefined;
    /** The session, read already (beside the quota draw); else read here. */
    session?: Promise<SessionRead> | undefined;
  },
): Promise<RoutePlan> => {
  const { config } = deps;
  const { caller, workflow, budgets } = input;
  const tenant: TenantConfig = caller.tenant;

  let affinity: string | undefined;
  let prefix: PrefixHint | undefined;
  let session: SessionState | undefined;
  let sessionId: string | undefined;
  if (caller.mode === 'escalated') {
    affinity = caller.context.affinityKey;
    prefix = caller.context.prefix;
  } else {
    ({ sessionId, session } = await (input.session ??
      readSession(deps, tenant.id, input.request, input.headers)));
    prefix = prefixHint(input.request, tenant.id, config);
    affinity = sessionId;
  }

  // Compaction before classification: a prompt that fits a cheaper tier once checkpointed stays
  // there. An escalation arrives compacted by the edge.
  const compaction: CompactionResult =
    caller.mode === 'escalated' || input.compaction === undefined
      ? { outcome: { kind: 'off' }, apply: (r) => r }
      : await compactConversation(
          {
            request: input.compaction.upstream,
            spec: input.compaction.spec,
            scope:
              sessionId === undefined ? undefined : { tenantId: tenant.id, session: sessionId },
            config,
            now: Date.now(),
          },
          input.compaction.deps,
        );
  const request = compaction.apply(input.request);

  const override =
    caller.mode === 'escalated' ? undefined : await deps.overrides?.get(tenant.id, Date.now());
  budgets.startPhase('classify');
  const classification = classify(request, {
    config,
    tenant,
    ...(workflow === undefined ? {} : { workflow }),
  });
  const base = {
    request,
    classification,
    config,
    tenant,
    ...(session === undefined ? {} : { session }),
    ...(override === undefined ? {} : { override }),
  };
  const decision =
    caller.mode === 'escalated'
      ? decide({ ...base, forceTier: 'regional' })
      : decide({ ...base, regionalAvailable: deps.regionalAvailable() });
  budgets.endPhase('classify');

  const reasons =
    caller.mode === 'escalated' && caller.context.reasons.length > 0
      ? [...caller.context.reasons]
      : [...decision.reasons];
  if (compaction.outcome.kind === 'applied') reasons.push('compacted');
  return {
    decision,
    classification,
    reasons,
    // With no session, the prefix hash keeps requests of one prompt family on one warm backend.
    affinityKey: affinity ?? prefix?.key,
    prefix,
    compaction,
    async remember(served) {
      if (sessionId === undefined) return;
      await deps.sessions.set(sessionId, nextSessionState(session, served, config, prefix?.key));
    },
    degraded: () => decide({ ...base, regionalAvailable: false }),
  };
};
