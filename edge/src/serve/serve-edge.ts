import {
  type Budgets,
  type ChatCompletion,
  type ChatCompletionChunk,
  type ChatCompletionRequest,
  type ChatProvider,
  type PrefixHint,
  RouterError,
  type RouteTarget,
  UpstreamError,
} from '@switchback/router-core';

/** What serving needs to know about the request, whatever tier serves it. */
export type ServeInput = {
  request: ChatCompletionRequest;
  requestId: string;
  budgets: Budgets;
  affinityKey?: string;
  prefix?: PrefixHint;
  /** Aborts when the client goes away. */
  clientSignal?: AbortSignal;
};

export type EdgeAnswer =
  | { kind: 'completion'; target: RouteTarget; fallback: boolean; completion: ChatCompletion }
  | {
      kind: 'stream';
      target: RouteTarget;
      fallback: boolean;
      first: ChatCompletionChunk;
      rest: AsyncIterator<ChatCompletionChunk>;
      abort: (reason: unknown) => void;
    };

const signals = (...list: (AbortSignal | undefined)[]) =>
  AbortSignal.any(list.filter((s): s is AbortSignal => s !== undefined));

/** The client-facing error once every target failed before answering. */
export const exhausted = (last: unknown): RouterError => {
  if (last instanceof RouterError) return last;
  if (last instanceof UpstreamError && (last.kind === 'ttft_timeout' || last.kind === 'deadline')) {
    return new RouterError(
      'budget_exceeded',
      `No answer within the request's budget: ${last.message}`,
    );
  }
  if (last instanceof UpstreamError && last.kind === 'client') {
    return new RouterError('upstream_error', `The edge model refused the request: ${last.message}`);
  }
  const retryAfterMs = last instanceof UpstreamError ? last.retryAfterMs : undefined;
  return new RouterError(
    'upstream_unavailable',
    'No edge model could serve the request right now.',
    {
      retryAfterSeconds: Math.max(1, (retryAfterMs ?? 1_000) / 1000),
      cause: last,
    },
  );
};

/**
 * Serves on Workers AI down the targets' chain. A target that fails (or, streaming, sends no
 * first token within the TTFT budget) before the answer starts is replaced by the next; nothing
 * is retried once the first token is out, because the client has it.
 */
export const serveOnEdge = async (
  input: ServeInput,
  targets: readonly RouteTarget[],
  providerFor: (target: RouteTarget) => ChatProvider,
): Promise<EdgeAnswer> => {
  const { request, budgets } = input;
  let last: unknown = new RouterError(
    'upstream_unavailable',
    'The edge tier has no model to serve with.',
    {
      retryAfterSeconds: 1,
    },
  );
  for (const [i, target] of targets.entries()) {
    if (budgets.totalSignal.aborted) break;
    const provider = providerFor(target);
    const attempt = new AbortController();
    const signal = signals(budgets.totalSignal, attempt.signal, input.clientSignal);
    const options = {
      signal,
      requestId: input.requestId,
      ...(input.affinityKey === undefined ? {} : { affinityKey: input.affinityKey }),
      ...(input.prefix === undefined ? {} : { prefix: input.prefix }),
    };
    const providerRequest = { ...request, model: target.model.name };
    if (request.stream !== true) {
      try {
        const completion = await provider.complete(providerRequest, options);
        budgets.firstToken();
        return { kind: 'completion', target, fallback: i > 0, completion };
      } catch (error) {
        last = error;
        if (error instanceof UpstreamError && !error.retryable) break;
        continue;
      }
    }
    const iterator = provider.stream(providerRequest, options)[Symbol.asyncIterator]();
    const ttft = setTimeout(
      () =>
        attempt.abort(
          new UpstreamError(
            'ttft_timeout',
            provider.id,
            `No first token within ${budgets.ttftMs} ms.`,
          ),
        ),
      Math.min(budgets.ttftMs, budgets.remainingMs()),
    );
    try {
      const first = await iterator.next();
      if (first.done) throw new UpstreamError('server', provider.id, 'The stream ended empty.');
      budgets.firstToken();
      return {
        kind: 'stream',
        target,
        fallback: i > 0,
        first: first.value,
        rest: iterator,
        abort: (reason) => attempt.abort(reason),
      };
    } catch (error) {
      last = error;
      attempt.abort(error);
      if (error instanceof UpstreamError && !error.retryable) break;
    } finally {
      clearTimeout(ttft);
    }
  }
  throw exhausted(budgets.totalSignal.aborted ? budgets.totalSignal.reason : last);
};
