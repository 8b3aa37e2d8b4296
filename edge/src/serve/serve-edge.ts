import {
  type Budgets,
  type ChatCompletion,
  type ChatCompletionChunk,
  type ChatCompletionRequest,
  type ChatProvider,
  exhausted,
  failureAction,
  type PrefixHint,
  type RouteTarget,
  stopError,
  ttftWindowMs,
  UpstreamError,
  waitForFirstChunk,
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

/**
 * Serves on Workers AI down the targets' chain. A target that fails (or, streaming, sends no
 * first token within the TTFT budget) before the answer starts is replaced by the next unless
 * the failure table says `stop`; the edge does not retry a target (`retry` moves on too), and
 * nothing is retried once the first token is out, because the client has it. Every target
 * failing is the same 503 regional answers (router-core's `exhausted`).
 */
export const serveOnEdge = async (
  input: ServeInput,
  targets: readonly RouteTarget[],
  providerFor: (target: RouteTarget) => ChatProvider,
): Promise<EdgeAnswer> => {
  const { request, budgets } = input;
  const streaming = request.stream === true;
  const failures: UpstreamError[] = [];
  for (const [i, target] of targets.entries()) {
    if (budgets.totalSignal.aborted) break;
    const provider = providerFor(target);
    const wait = waitForFirstChunk({
      providerId: provider.id,
      // A whole answer has no first chunk to wait for: the end-to-end deadline bounds it.
      windowMs: streaming ? ttftWindowMs(budgets, { first: i === 0 }) : undefined,
      totalSignal: budgets.totalSignal,
      clientSignal: input.clientSignal,
    });
    const options = {
      signal: wait.signal,
      requestId: input.requestId,
      ...(input.affinityKey === undefined ? {} : { affinityKey: input.affinityKey }),
      ...(input.prefix === undefined ? {} : { prefix: input.prefix }),
    };
    const providerRequest = { ...request, model: target.model.name };
    let iterator: AsyncIterator<ChatCompletionChunk> | undefined;
    try {
      if (!streaming) {
        const completion = await wait.first(provider.complete(providerRequest, options));
        budgets.firstToken();
        return { kind: 'completion', target, fallback: i > 0, completion };
      }
      iterator = provider.stream(providerRequest, options)[Symbol.asyncIterator]();
      const first = await wait.first(iterator.next());
      if (first.done) throw new UpstreamError('server', provider.id, 'The stream ended empty.');
      budgets.firstToken();
      return {
        kind: 'stream',
        target,
        fallback: i > 0,
        first: first.value,
        rest: iterator,
        abort: (reason) => wait.abort(reason),
      };
    } catch (thrown) {
      const error = wait.failure(thrown);
      wait.abort(error);
      iterator?.return?.().catch(() => {});
      if (failureAction(error) === 'stop') throw stopError(error, budgets.totalSignal);
      failures.push(error);
    } finally {
      wait.settle();
    }
  }
  if (budgets.totalSignal.aborted) throw budgets.totalSignal.reason;
  throw exhausted(failures);
};
