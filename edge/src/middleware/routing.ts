import {
  affinityKey,
  classify,
  compactionHeader,
  type DecideInput,
  type Decision,
  decide,
  describeOverride,
  prefixHint,
  type RouterConfig,
  sessionKeyOf,
} from '@switchback/router-core';
import type { Context, MiddlewareHandler } from 'hono';
import { edgeCompaction } from '../compaction/edge-compaction.ts';
import type { AppEnv } from '../env.ts';
import type { SessionRecord } from '../objects/session-object.ts';
import { kvOverrideStore } from '../ops/kv-override-store.ts';
import type { Breaker } from '../regional/breaker.ts';

export type RoutingOptions = { config: RouterConfig; breaker: Breaker };

/** A session keeps its model within a tier: the model it had goes first when it is a candidate. */
const keepSessionModel = (decision: Decision, session: SessionRecord | undefined): Decision => {
  const index = decision.targets.findIndex((t) => t.model.id === session?.model);
  const sticky = decision.targets[index];
  if (index <= 0 || sticky === undefined) return decision;
  return { ...decision, targets: [sticky, ...decision.targets.filter((_, i) => i !== index)] };
};

/**
 * Classification and decision (router-core), timed as the `classify` phase, with the session's
 * state: the session is the client's `x-session-affinity` (else `x-session-id`, else `user`), namespaced by tenant
 * with a keyed hash, so two tenants never share one. The turn is recorded while serving runs.
 */
export const routing = ({ config, breaker }: RoutingOptions): MiddlewareHandler<AppEnv> =>
  async function routing(c, next) {
    const { tenant, workflow, headers, budgets } = c.var;
    const sessionKey = sessionKeyOf(c.var.body, headers);
    const affinity =
      sessionKey === undefined
        ? undefined
        : await affinityKey(tenant.id, sessionKey, c.env.SWITCHBACK_HMAC_SECRET);
    const session = affinity === undefined ? undefined : c.env.SESSIONS.getByName(affinity);
    const [state, override] = await Promise.all([
      session?.state(),
      // Read now: a Worker deployed without the binding serves with no overrides.
      (c.env.CONFIG as KVNamespace | undefined) === undefined
        ? undefined
        : kvOverrideStore(c.env.CONFIG).get(tenant.id, Date.now()),
    ]);
    if (override !== undefined) {
      c.var.policyTrace.push({
        check: 'operator_override',
        result: 'pass',
        detail: describeOverride(override),
      });
      // A forced model goes upstream by name: regional serves an escalation as the model it names.
      if (override.kind === 'force_model') {
        c.set('upstream', { ...c.var.upstream, model: override.model });
      }
    }

    // Compaction before classification: a prompt that fits a cheaper tier once checkpointed
    // stays there. Both the client's words and the redacted copy lose the same covered turns.
    const compaction = await edgeCompaction({
      env: c.env,
      config,
      tenant,
      workflow,
      clientHeaders: c.req.raw.headers,
      upstream: c.var.upstream,
      session: affinity,
      requestId: c.var.requestId,
      signal: c.req.raw.signal,
    });
    const body = compaction.apply(c.var.body);
    if (compaction.outcome.kind !== 'off') {
      c.set('compaction', compaction.outcome);
      c.set('body', body);
      c.set('upstream', compaction.apply(c.var.upstream));
    }

    budgets.startPhase('classify');
    let decision: Decision;
    let decideInput: DecideInput;
    const prefix = prefixHint(body, tenant.id, config);
    try {
      const classification = classify(body, {
        config,
        tenant,
        ...(workflow === undefined ? {} : { workflow }),
      });
      c.set('classification', classification);
      decideInput = {
        request: body,
        classification,
        config,
        tenant,
        ...(state === undefined ? {} : { session: state }),
        ...(override === undefined ? {} : { override }),
        regionalAvailable: breaker.state !== 'open',
      };
      decision = keepSessionModel(decide(decideInput), state);
      if (compaction.outcome.kind === 'applied') {
        decision = { ...decision, reasons: [...decision.reasons, 'compacted'] };
      }
    } finally {
      budgets.endPhase('classify');
    }
    c.set('decision', decision);
    c.set('decideInput', decideInput);
    // Workers AI's prompt cache is per affinity id: without a session, the prefix hash groups
    // requests that share a head (DESIGN.md, "Session affinity and prefix-cache hints").
    const upstreamAffinity = affinity ?? prefix?.key;
    if (upstreamAffinity !== undefined) c.set('affinityKey', upstreamAffinity);
    if (prefix !== undefined) c.set('prefix', prefix);

    // Recorded as routed, in parallel with serving; awaited before the answer goes out.
    const turn = session
      ?.recordTurn({
        decision,
        affinity: config.affinity,
        model: decision.targets[0].model.id,
        ...(prefix === undefined ? {} : { prefixKey: prefix.key }),
      })
      .catch(() => undefined);
    await next();
    await turn;
    const value = compactionHeader(compaction.outcome);
    if (value !== undefined) setHeader(c, 'x-router-compaction', value);
  };

/** Sets a header on the answer, whose headers may be immutable (as `fetch` returns them). */
const setHeader = (c: Context<AppEnv>, name: string, value: string): void => {
  try {
    c.res.headers.set(name, value);
  } catch {
    const res = new Response(c.res.body, c.res);
    res.headers.set(name, value);
    c.res = res;
  }
};
