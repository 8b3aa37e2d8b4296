import {
  type ChatCompletion,
  type ChatCompletionChunk,
  type ChatProvider,
  createStreamSummary,
  type Decision,
  decide,
  type GatewayHop,
  type GovernedAnswer,
  gatewayHopHeader,
  type ReasonCode,
  RouterError,
  type RouteTarget,
  streamApprovalChunk,
  type Usage,
} from '@switchback/router-core';
import type { Context, Handler } from 'hono';
import type { AppEnv } from '../env.ts';
import type { Breaker } from '../regional/breaker.ts';
import { createRegionalClient } from '../regional/client.ts';
import { type EdgeAnswer, type ServeInput, serveOnEdge } from '../serve/serve-edge.ts';
import { RegionalUnavailable, serveOnRegional } from '../serve/serve-regional.ts';
import { sseResponse } from '../serve/sse-response.ts';
import { type AiBinding, createAiStandIn, gatewayOption } from '../workers-ai/binding.ts';
import { createWorkersAiProvider } from '../workers-ai/provider.ts';

export type ChatCompletionsOptions = {
  breaker: Breaker;
  /** How the Worker reaches regional; `fetch` unless a test says otherwise. */
  fetcher?: typeof fetch;
};

/** The `AI` binding, else (local stack, tests) the stand-in over `AI_STANDIN_URL`. */
export const aiOf = (env: Env): AiBinding => {
  if (env.AI !== undefined) {
    const ai = env.AI;
    return { run: (model, inputs, options) => ai.run(model, inputs, options) };
  }
  if (env.AI_STANDIN_URL !== undefined) return createAiStandIn({ baseUrl: env.AI_STANDIN_URL });
  throw new RouterError(
    'internal_error',
    'The Worker has neither an AI binding nor AI_STANDIN_URL.',
  );
};

const routerHeaders = (
  tier: Decision['tier'],
  reasons: readonly string[],
  servedBy: { provider: string | null; model: string | null; gateway?: GatewayHop | undefined },
): Headers => {
  const headers = new Headers({ 'x-router-tier': tier, 'x-router-reasons': reasons.join(',') });
  if (servedBy.provider) headers.set('x-router-provider', servedBy.provider);
  if (servedBy.model) headers.set('x-router-model', servedBy.model);
  if (servedBy.gateway) headers.set('x-router-gateway', gatewayHopHeader(servedBy.gateway));
  return headers;
};

/**
 * The AI Gateway hop of an edge answer: the binding returns the model's output only (no response
 * headers; `aiGatewayLogId` is the log entry, not its cache status), so the cache is `unknown`.
 */
const edgeGateway = (target: RouteTarget): { gateway?: GatewayHop } =>
  target.provider.gateway === undefined
    ? {}
    : { gateway: { id: target.provider.gateway.id, cache: 'unknown' } };

/**
 * `POST /v1/chat/completions` once admitted, policed and routed: serve on the decided tier. A
 * regional tier that is down degrades to the edge tier where the risk policy allows it (reason
 * `regional_unavailable_degraded`), else 503 `upstream_unavailable` with `retry-after`.
 */
export const chatCompletions = ({ breaker, fetcher }: ChatCompletionsOptions): Handler<AppEnv> =>
  async function chatCompletions(c) {
    const { upstream, requestId, budgets, tenant, workflow, decision } = c.var;
    const input: ServeInput = {
      request: upstream,
      requestId,
      budgets,
      clientSignal: c.req.raw.signal,
      ...(c.var.affinityKey === undefined ? {} : { affinityKey: c.var.affinityKey }),
      ...(c.var.prefix === undefined ? {} : { prefix: c.var.prefix }),
    };

    if (decision.tier === 'edge')
      return edgeResponse(c, await serveEdge(c, input, decision), decision);

    const client = createRegionalClient({
      baseUrl: c.env.REGIONAL_URL,
      secret: c.env.SWITCHBACK_HMAC_SECRET,
      ...(fetcher === undefined ? {} : { fetcher }),
    });
    const context = {
      tenantId: tenant.id,
      requestId,
      reasons: decision.reasons,
      ...(workflow === undefined ? {} : { workflow }),
      ...(input.affinityKey === undefined ? {} : { affinityKey: input.affinityKey }),
      ...(input.prefix === undefined ? {} : { prefix: input.prefix }),
    };
    try {
      const answer = await serveOnRegional({ ...input, context }, client, breaker);
      if (answer.kind === 'refused') {
        c.set('served', { tier: 'regional', reasons: decision.reasons });
        for (const [name, value] of routerHeaders('regional', decision.reasons, {
          provider: null,
          model: null,
        })) {
          answer.response.headers.set(name, value);
        }
        return answer.response;
      }
      c.set('served', {
        tier: 'regional',
        reasons: decision.reasons,
        ...(answer.provider === null ? {} : { provider: answer.provider }),
        ...(answer.model === null ? {} : { model: answer.model }),
        ...(answer.gateway === undefined ? {} : { gateway: answer.gateway }),
        ...modelVersionOf(answer),
      });
      return answerResponse(c, answer, routerHeaders('regional', decision.reasons, answer));
    } catch (error) {
      if (!(error instanceof RegionalUnavailable)) throw error;
      // Throws `upstream_unavailable` (503, retry-after) unless the risk policy allows the edge.
      const degraded = decide({ ...c.var.decideInput, regionalAvailable: false });
      return edgeResponse(c, await serveEdge(c, input, degraded), degraded);
    }
  };

const serveEdge = (c: Context<AppEnv>, input: ServeInput, decision: Decision) => {
  const providers = new Map<string, ChatProvider>();
  const providerFor = (target: RouteTarget): ChatProvider => {
    let provider = providers.get(target.provider.id);
    if (provider === undefined) {
      if (target.provider.kind !== 'workers-ai') {
        throw new RouterError(
          'internal_error',
          `The edge tier serves Workers AI only; "${target.model.id}" is on ${target.provider.kind}.`,
        );
      }
      provider = createWorkersAiProvider(
        target.provider.id,
        aiOf(c.env),
        gatewayOption(target.provider.gateway),
      );
      providers.set(target.provider.id, provider);
    }
    return provider;
  };
  return serveOnEdge(input, decision.targets, providerFor);
};

const edgeResponse = (c: Context<AppEnv>, answer: EdgeAnswer, decision: Decision): Response => {
  const reasons: ReasonCode[] = answer.fallback
    ? [...decision.reasons, 'fallback']
    : [...decision.reasons];
  c.set('served', {
    tier: 'edge',
    reasons,
    provider: answer.target.provider.id,
    model: answer.target.model.id,
    ...edgeGateway(answer.target),
    ...modelVersionOf(answer),
  });
  const headers = routerHeaders('edge', reasons, {
    provider: answer.target.provider.id,
    model: answer.target.model.id,
    ...edgeGateway(answer.target),
  });
  return answerResponse(c, answer, headers);
};

/** The model the provider's answer names: its completion's, else its first chunk's. */
const modelVersionOf = (
  answer:
    | { kind: 'completion'; completion: ChatCompletion }
    | { kind: 'stream'; first: ChatCompletionChunk },
): { modelVersion?: string } => {
  const model = answer.kind === 'completion' ? answer.completion.model : answer.first.model;
  return model ? { modelVersion: model } : {};
};

/** A served answer as the client's response, its usage accounted against the quota. */
const answerResponse = (
  c: Context<AppEnv>,
  answer:
    | { kind: 'completion'; completion: ChatCompletion }
    | {
        kind: 'stream';
        first: ChatCompletionChunk;
        rest: AsyncIterator<ChatCompletionChunk>;
        abort: (reason: unknown) => void;
      },
  headers: Headers,
): Response => {
  if (answer.kind === 'completion') {
    const { usage } = answer.completion;
    account(c, usage);
    if (usage !== undefined && c.var.served !== undefined)
      c.set('served', { ...c.var.served, usage });
    return jsonResponse(answer.completion, headers);
  }
  const { budgets, body } = c.var;
  const summary = createStreamSummary();
  // The answer's tool calls are governed once: before `[DONE]` when the stream ends whole (a held
  // call's token is its last event), else at its end, for the audit event either way.
  let governing: Promise<GovernedAnswer | undefined> | undefined;
  const govern = () => {
    governing ??= (c.var.governStream?.(summary.completion()) ?? Promise.resolve(undefined)).catch(
      () => undefined,
    );
    return governing;
  };
  return sseResponse(answer.first, answer.rest, {
    headers,
    includeUsage: body.stream_options?.include_usage === true,
    abort: answer.abort,
    onChunk: (chunk) => summary.add(chunk),
    beforeDone: async () => {
      const governed = await govern();
      return governed && streamApprovalChunk(summary.completion(), governed);
    },
    onEnd: (end) => {
      account(c, end.usage);
      budgets.dispose();
      // The answer's tool calls go into the audit event, which waits for them.
      // One waitUntil over both steps: the event's own waitUntil is taken inside the chain, while
      // it is still pending (one on `governing` alone could end the request's life first).
      c.executionCtx.waitUntil(govern().then(() => c.var.streamEnded?.(end)));
    },
  });
};

const jsonResponse = (value: unknown, headers: Headers): Response => {
  headers.set('content-type', 'application/json');
  return new Response(JSON.stringify(value), { status: 200, headers });
};

const account = (c: Context<AppEnv>, usage: Usage | undefined): void => {
  if (usage !== undefined) c.var.accountUsage?.(usage);
};
