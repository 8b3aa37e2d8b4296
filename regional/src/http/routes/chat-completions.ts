import {
  auditIntentWith,
  auditResponse,
  budgetFor,
  type CheckpointStore,
  checkToolPolicy,
  createBudgets,
  createStreamSummary,
  type Decision,
  type GovernedAnswer,
  parseChatBody,
  promptRedactor,
  type QuotaStore,
  RouterError,
  requestTools,
  streamApprovalChunk,
  withFallbackReason,
} from '@switchback/router-core';
import { admitFrontDoor } from '../../admission/front-door-admission.ts';
import { traced } from '../../audit/policy-trace.ts';
import type { Caller } from '../../auth/caller.ts';
import { type PlanDeps, planRoute, type RoutePlan } from '../../chat/route-plan.ts';
import { governAnswer, governTools } from '../../chat/tool-governance.ts';
import { regionalCompaction } from '../../compaction/regional-compaction.ts';
import { sha256HexSync } from '../../crypto/sha256-hex.ts';
import { frontDoorQuota, requestWorkflow } from '../../quota/front-door-quota.ts';
import type { ProviderRunner, RunInput } from '../../resilience/provider-runner.ts';
import { sseSource } from '../../serving/sse-body.ts';
import type { AdmissionStore } from '../../state/admission.ts';
import type { StateFailures } from '../../state/state-store.ts';
import type { Exchange, Reply } from '../front/exchange.ts';
import type { RequestRecord } from '../request-record.ts';
import { routerHeaders } from '../router-headers.ts';

export type ChatDeps = PlanDeps & {
  runner: ProviderRunner;
  /** Signs the approval tokens of held side-effect calls and checks operators' approvals. */
  approvalSecret?: string | undefined;
  /** Checkpoints of compacted sessions (front door only). */
  checkpoints: CheckpointStore;
  /** The tenants' quota windows (front door only): this replica's, or shared on Redis. */
  quotas: QuotaStore;
  /** The quota draw, session read and idempotency claim of a request, in one call to the state. */
  admission: AdmissionStore;
  /** Told when the quota store cannot answer (metric, log). */
  stateFailures?: StateFailures;
};

/**
 * A clock whose first reading is `startedAt`: the budgets are created once the workflow is known
 * (after auth), but their clocks, TTFT included, run from the request's arrival.
 */
const clockFrom = (startedAt: number): (() => number) => {
  let first = true;
  return () => {
    if (!first) return performance.now();
    first = false;
    return startedAt;
  };
};

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  // Proxies (nginx and friends) must not buffer the stream.
  'x-accel-buffering': 'no',
} as const;

/** Where the answer came from, as the record (and so headers, log and metrics) shows it. */
const noteServed = (
  record: RequestRecord,
  plan: RoutePlan,
  decision: Decision,
  served: { target: Decision['targets'][number]; targetIndex: number; backend: string },
  degraded: boolean,
): void => {
  record.tier = decision.tier;
  record.provider = served.target.provider.id;
  record.model = served.target.model.id;
  record.price = served.target.model.price;
  record.backend = served.backend;
  const reasons = degraded ? [...decision.reasons] : plan.reasons;
  record.reasons = served.targetIndex > 0 ? withFallbackReason(reasons) : reasons;
};

/**
 * `POST /v1/chat/completions`: validate, apply the tool policy, classify and decide, then serve
 * through the provider runner. Streams hold their headers until the first chunk, so everything
 * before it (retries, failover, TTFT deadlines) stays invisible to the client; when every
 * regional target fails at the front door, a request the risk policy lets degrade is served by
 * the edge tier instead.
 */
export const chatCompletions = (deps: ChatDeps) => {
  const redactPrompt = promptRedactor(deps.config.pii);
  return async function chatCompletions(
    ex: Exchange,
    caller: Caller,
    record: RequestRecord,
  ): Promise<Reply> {
    const { config, runner } = deps;
    record.chat = true;
    // Only configured workflows count (quotas, budgets, metric labels): a client cannot mint one.
    const workflow = requestWorkflow(config, caller, ex.headers.get('x-workflow') ?? undefined);
    record.workflow = workflow ?? 'default';
    const budgets = createBudgets(budgetFor(config, workflow), clockFrom(record.startedAt));
    record.budgets = budgets;

    budgets.startPhase('policy');
    const body =
      caller.mode === 'escalated'
        ? caller.body
        : await ex.body(config.limits.maxBodyBytes, budgets.remainingMs());
    const request = traced(record.policyTrace, 'request_schema', () =>
      parseChatBody(body, config.limits),
    );
    record.stream = request.stream === true;
    // Hashed synchronously: an await on WebCrypto's queue here was the whole policy phase under
    // load (the event loop's round trip, ~15 ms p50 at 256 in flight), and the event keeps its place.
    record.intent = auditIntentWith(request, sha256HexSync);
    record.tools = requestTools(request);
    traced(record.policyTrace, 'tool_allowlist', () =>
      checkToolPolicy(request, caller.tenant, workflow),
    );
    // Side-effect stage and held-call approvals (an escalation was checked by the edge).
    const governed = { config, tenant: caller.tenant, record, secret: deps.approvalSecret };
    if (caller.mode === 'front-door') {
      await governTools({ ...governed, request, headers: ex.headers });
    }
    const quota = frontDoorQuota({
      config,
      store: deps.quotas,
      caller,
      workflow,
      rawBody: body,
      trace: record.policyTrace,
      toolNames: (record.tools ?? []).map((tool) => tool.name),
      onUnavailable: ({ policy, error }) =>
        deps.stateFailures?.report({ concern: 'quotas', policy, error: error.message }),
    });
    record.quota = quota;
    // The quota drawn, the session read and an idempotency-key claimed: on Redis, one round trip.
    const session = await admitFrontDoor(deps, {
      caller,
      request,
      headers: ex.headers,
      quota,
      record,
    });
    // Providers get the prompt redacted; classification still reads the client's words, so PII
    // raises the risk tier as it does at the edge. An escalation was redacted by the edge, with
    // the same rules from the same config, before it was signed.
    let upstreamRequest = request;
    if (redactPrompt === undefined) {
      record.policyTrace.push({ check: 'pii_redaction', result: 'skip', detail: 'off' });
    } else if (caller.mode === 'escalated') {
      record.policyTrace.push({ check: 'pii_redaction', result: 'skip', detail: 'edge' });
    } else {
      const redacted = redactPrompt(request);
      upstreamRequest = redacted.request;
      record.policyTrace.push(
        redacted.kinds.length === 0
          ? { check: 'pii_redaction', result: 'pass' }
          : { check: 'pii_redaction', result: 'redact', detail: redacted.kinds.join(',') },
      );
    }
    budgets.endPhase('policy');

    const plan = await planRoute(deps, {
      caller,
      request,
      headers: ex.headers,
      workflow,
      budgets,
      session: session && Promise.resolve(session),
      compaction: regionalCompaction(deps, {
        upstream: upstreamRequest,
        workflow,
        headers: ex.headers,
        budget: budgetFor(config, workflow),
        clientSignal: ex.signal,
        requestId: record.requestId,
      }),
    });
    upstreamRequest = plan.compaction.apply(upstreamRequest);
    if (plan.compaction.outcome.kind !== 'off') record.compaction = plan.compaction.outcome;
    record.tier = plan.decision.tier;
    record.reasons = plan.reasons;
    // The quota's second draw, now that the tier is known (router-core's createQuotaMeter).
    await quota?.route({ contextTier: plan.classification.context, tier: plan.decision.tier });

    const clientSignal = ex.signal;
    const inputFor = (decision: Decision): RunInput => ({
      request: upstreamRequest,
      targets: decision.targets,
      budgets,
      clientSignal,
      requestId: record.requestId,
      affinityKey: plan.affinityKey,
      prefix: plan.prefix,
      attempts: record.attempts,
    });
    /** Runs the decision; once more on the edge tier if regional failed and policy allows. */
    const serveWith = async <T>(run: (input: RunInput) => Promise<T>) => {
      try {
        return {
          value: await run(inputFor(plan.decision)),
          decision: plan.decision,
          degraded: false,
        };
      } catch (error) {
        const canDegrade =
          caller.mode === 'front-door' &&
          error instanceof RouterError &&
          error.code === 'upstream_unavailable' &&
          !clientSignal.aborted &&
          plan.decision.tier === 'regional' &&
          plan.decision.degradable;
        if (!canDegrade) throw error;
        const decision = plan.degraded();
        return { value: await run(inputFor(decision)), decision, degraded: true };
      }
    };

    // The session write rides beside the upstream call, with the planned decision, instead of
    // after the answer (on Redis one round trip off the request's time): a session's next state
    // depends only on the decision's tier and reasons, so it is the served one whenever the plan
    // served; an answer degraded to the edge writes again. A turn that fails still counts as one.
    // Sessions fail open, as their read does.
    const planned = plan.remember(plan.decision).catch(() => undefined);
    const remember = (served: Decision): Promise<void> =>
      served === plan.decision
        ? planned
        : planned.then(() => plan.remember(served)).catch(() => undefined);

    if (request.stream) {
      const served = await serveWith((input) => runner.open(input));
      const opened = served.value;
      budgets.firstToken();
      noteServed(record, plan, served.decision, opened, served.degraded);
      if (opened.first.model) record.modelVersion = opened.first.model;
      // Not awaited before the first byte: the stream's `[DONE]` waits for it, and a client's
      // next turn comes after that.
      const remembered = remember(served.decision);
      let ended: () => void = () => {};
      record.streamEnded = new Promise<void>((resolve) => {
        ended = resolve;
      });
      const summary = createStreamSummary();
      // Governed once: before `[DONE]` when the stream ends whole (a held call's token is its last
      // event, see streamApprovalChunk), else at its end, for the audit event either way.
      let governing: Promise<GovernedAnswer | undefined> | undefined;
      const govern = () => {
        governing ??=
          caller.mode === 'front-door'
            ? governAnswer({ ...governed, workflow, completion: summary.completion() }).catch(
                () => undefined,
              )
            : Promise.resolve(undefined);
        return governing;
      };
      const source = sseSource(opened, {
        includeUsage: request.stream_options?.include_usage === true,
        clientSignal,
        onChunk: (chunk) => summary.add(chunk),
        beforeDone: async () => {
          await remembered;
          const answer = await govern();
          return answer && streamApprovalChunk(summary.completion(), answer);
        },
        onEnd(end) {
          if (end.usage) {
            record.usage = end.usage;
            void quota?.account(end.usage);
          }
          if (end.kind === 'done') record.outcome = 'ok';
          else if (end.kind === 'client_closed') record.outcome = 'client_closed';
          else {
            const code = end.error instanceof RouterError ? end.error.code : 'upstream_error';
            record.errorCode = code;
            record.outcome = code === 'budget_exceeded' ? 'budget' : 'transient';
          }
          // The answer's tool calls and shape go into the audit event before it is written.
          record.response = auditResponse(summary.completion());
          void govern().finally(ended);
        },
      });
      return {
        kind: 'sse',
        headers: { ...SSE_HEADERS, ...routerHeaders(record, { final: false }) },
        source,
      };
    }

    const served = await serveWith((input) => runner.complete(input));
    const answer = served.value;
    noteServed(record, plan, served.decision, answer, served.degraded);
    if (answer.completion.model) record.modelVersion = answer.completion.model;
    await remember(served.decision);
    if (answer.completion.usage) {
      record.usage = answer.completion.usage;
      void quota?.account(answer.completion.usage);
    }
    record.outcome = 'ok';
    record.response = auditResponse(answer.completion);
    const approval =
      caller.mode === 'front-door'
        ? (await governAnswer({ ...governed, workflow, completion: answer.completion })).headers
        : {};
    const headers = routerHeaders(record, { final: true }, { 'content-type': 'application/json' });
    for (const name in approval) headers[name] = approval[name] as string;
    return { kind: 'body', status: 200, headers, body: JSON.stringify(answer.completion) };
  };
};
