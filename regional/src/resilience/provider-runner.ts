import {
  attemptFailure,
  type ChatProvider,
  exhausted,
  failureAction,
  GATEWAY_CACHE_STATUS_HEADER,
  type GatewayCacheStatus,
  type GatewayHop,
  gatewayCacheStatus,
  linkedController,
  type ProviderCallOptions,
  type RetryConfig,
  RouterError,
  type RouteTarget,
  type StreamItem,
  stopError,
  ttftWindowMs,
  UpstreamError,
} from '@switchback/router-core';
import pRetry from 'p-retry';
import type { Upstreams } from '../upstreams/upstreams.ts';
import { sleep } from './abortable.ts';
import { drain, openAttempt } from './attempt.ts';
import type { Breakers } from './breaker-registry.ts';
import type { AttemptRecord, CompletedAnswer, OpenedStream, RunInput, Where } from './run-types.ts';
import { readsWholeAnswers, wholeAttempt } from './whole-attempt.ts';

export type * from './run-types.ts';

/**
 * An attempt's AI Gateway hop, for a target behind one: `read` takes the cache status off the
 * answer's headers (`unknown` until they came, or when they say none).
 */
const gatewayHopOf = (target: RouteTarget) => {
  const gateway = target.provider.gateway;
  if (gateway === undefined) return undefined;
  let cache: GatewayCacheStatus = 'unknown';
  return {
    read(headers: { get(name: string): string | null }) {
      cache = gatewayCacheStatus(headers.get(GATEWAY_CACHE_STATUS_HEADER));
    },
    hop: (): GatewayHop => ({ id: gateway.id, cache }),
  };
};

export type ProviderRunner = {
  /** Streams: resolves at the first chunk, after retries and failover as needed. */
  open(input: RunInput): Promise<OpenedStream>;
  /** Whole answers: a failure even mid-answer still fails over, as the client saw nothing. */
  complete(input: RunInput): Promise<CompletedAnswer>;
};

export type RunnerDeps = {
  upstreams: Upstreams;
  breakers: Breakers;
  retry: RetryConfig;
  /** Every finished attempt, failed or not (metrics). */
  onAttempt?: (attempt: AttemptRecord) => void;
};

/**
 * The one place retries live. For each target in order: up to `retry.retries` retries with
 * jittered exponential backoff for retryable failures (honouring `retry-after` when it fits in
 * the time left before the first token is due, failing over at once when it does not), each
 * attempt through the breaker of its provider, model and backend, under a TTFT deadline.
 * Nothing here runs after the first chunk went to the client.
 */
export const createProviderRunner = (deps: RunnerDeps): ProviderRunner => {
  const { upstreams, breakers, retry } = deps;

  /** Time a retry may wait: what is left before the first token is due, and of the whole budget. */
  const retryWindowMs = (input: RunInput): number =>
    Math.min(input.budgets.ttftRemainingMs(), input.budgets.remainingMs());

  /** One attempt on one backend's provider, under its TTFT window (`onHeaders`: the gateway's). */
  type Attempt<T> = (
    provider: ChatProvider,
    target: RouteTarget,
    windowMs: number,
    onHeaders: ProviderCallOptions['onResponseHeaders'],
  ) => Promise<T>;

  const serve = async <T>(
    input: RunInput,
    attempt: Attempt<T>,
  ): Promise<Where & { value: T; attempts: AttemptRecord[] }> => {
    const failureOf = (thrown: unknown, providerId: string) =>
      attemptFailure(thrown, providerId, {
        totalSignal: input.budgets.totalSignal,
        clientSignal: input.clientSignal,
      });
    const attempts = input.attempts ?? [];
    const failures: UpstreamError[] = [];
    const runSignal = linkedController([input.clientSignal, input.budgets.totalSignal]).signal;
    const stickiness = input.affinityKey ?? input.requestId;

    for (const [targetIndex, target] of input.targets.entries()) {
      let backendLabel = '';
      try {
        const value = await pRetry(
          async () => {
            // A pool backend whose breaker turned away the call does not end the attempt while
            // another backend of the same target would take it.
            for (let hop = 0; ; hop++) {
              const { backend, breaker } = upstreams.pick(target, stickiness);
              backendLabel = backend.label;
              const started = performance.now();
              const gateway = gatewayHopOf(target);
              const record = (outcome: AttemptRecord['outcome'], status?: number) => {
                const attempt: AttemptRecord = {
                  provider: target.provider.id,
                  model: target.model.id,
                  backend: backend.label,
                  outcome,
                  ms: Math.round(performance.now() - started),
                  ...(status === undefined ? {} : { status }),
                  ...(gateway === undefined ? {} : { gateway: gateway.hop() }),
                };
                attempts.push(attempt);
                deps.onAttempt?.(attempt);
              };
              try {
                const hasFallback = targetIndex < input.targets.length - 1;
                const windowMs = ttftWindowMs(input.budgets, {
                  first: attempts.length === 0,
                  firstShare: hasFallback ? retry.firstAttemptTtftShare : 1,
                });
                const result = await breakers.run(breaker, () =>
                  attempt(backend.provider, target, windowMs, gateway?.read),
                );
                record('ok');
                return result;
              } catch (thrown) {
                const error =
                  thrown instanceof UpstreamError ? thrown : failureOf(thrown, target.provider.id);
                record(error.kind, error.status);
                const another =
                  error.kind === 'breaker_open' &&
                  hop < upstreams.backends(target.provider.id).length &&
                  upstreams.available(target);
                if (!another) throw error;
              }
            }
          },
          {
            retries: retry.retries,
            factor: 2,
            minTimeout: retry.minTimeoutMs,
            maxTimeout: retry.maxTimeoutMs,
            randomize: true,
            signal: runSignal,
            shouldRetry: async ({ error, retryDelay }) => {
              if (!(error instanceof UpstreamError) || failureAction(error) !== 'retry')
                return false;
              const wait = Math.max(retryDelay, error.retryAfterMs ?? 0);
              // A wait that would blow the budget is better spent on the next target.
              if (wait > retryWindowMs(input)) return false;
              return wait > retryDelay ? sleep(wait - retryDelay, runSignal) : true;
            },
          },
        );
        return { value, target, targetIndex, backend: backendLabel, attempts };
      } catch (thrown) {
        const error =
          thrown instanceof UpstreamError ? thrown : failureOf(thrown, target.provider.id);
        if (failureAction(error) === 'stop') throw stopError(error, input.budgets.totalSignal);
        failures.push(error);
      }
    }
    throw exhausted(failures);
  };

  return {
    async open(input) {
      // Streams pass the upstream's events through where it speaks the client's wire.
      const served = await serve(input, (provider, target, windowMs, onHeaders) =>
        openAttempt(provider, target, input, windowMs, true, onHeaders),
      );
      const { value: opened, target } = served;
      let completed = false;
      const started = performance.now();
      const stop = () => {
        if (completed) return;
        completed = true;
        opened.wait.abort();
        opened.iterator.return?.().catch(() => {});
      };
      /** A failure after the first chunk, recorded and said as the client's error event. */
      const failed = (thrown: unknown): RouterError => {
        const error = opened.wait.failure(thrown);
        deps.onAttempt?.({
          provider: target.provider.id,
          model: target.model.id,
          backend: served.backend,
          outcome:
            error.kind === 'aborted' || error.kind === 'deadline' ? error.kind : 'mid_stream',
          ...(error.status === undefined ? {} : { status: error.status }),
          ms: Math.round(performance.now() - started),
        });
        if (error.kind === 'aborted' || error.kind === 'deadline') {
          return stopError(error, input.budgets.totalSignal);
        }
        return new RouterError(
          'upstream_error',
          `The provider failed mid-answer; the answer above is incomplete. (${error.message})`,
          { cause: error },
        );
      };
      // One step per upstream item without a generator of its own: the abort ends the upstream
      // call itself, so no per-chunk race either (see `drain`).
      const rest: AsyncIterator<StreamItem> = {
        async next() {
          if (completed) return { done: true, value: undefined };
          try {
            const next = await opened.iterator.next();
            if (next.done) completed = true;
            return next;
          } catch (thrown) {
            const error = failed(thrown);
            stop();
            throw error;
          }
        },
        async return() {
          stop();
          return { done: true, value: undefined };
        },
      };
      return {
        target,
        targetIndex: served.targetIndex,
        backend: served.backend,
        first: opened.first,
        firstRead: opened.firstRead,
        rest,
        close: () => {
          if (!completed) opened.wait.abort();
        },
        attempts: served.attempts,
      };
    },
    async complete(input) {
      // Read off the upstream's stream (the TTFT deadline holds): in one piece where the
      // provider can, else as its event batches, one step a read.
      const served = await serve(input, async (provider, target, windowMs, onHeaders) => {
        if (readsWholeAnswers(provider)) {
          return wholeAttempt(provider, target, input, windowMs, onHeaders);
        }
        const opened = await openAttempt(provider, target, input, windowMs, true, onHeaders);
        input.budgets.firstToken();
        return drain(opened);
      });
      return {
        target: served.target,
        targetIndex: served.targetIndex,
        backend: served.backend,
        completion: served.value,
        attempts: served.attempts,
      };
    },
  };
};
