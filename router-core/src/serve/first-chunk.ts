import type { Budgets } from '../budgets/budgets.ts';
import { UpstreamError } from '../provider/upstream-error.ts';
import { toUpstreamError } from '../provider/upstream-failure.ts';
import { linkedController } from './linked-signal.ts';
import { untilAborted } from './until-aborted.ts';

/** The clocks an attempt reads (router-core's `Budgets`). */
export type AttemptClocks = Pick<
  Budgets,
  'ttftMs' | 'totalSignal' | 'remainingMs' | 'ttftRemainingMs'
>;

/**
 * How long an attempt may wait for its first chunk. The first attempt has what is left of the
 * request's TTFT budget, counted from arrival (`firstShare` of it when a fallback remains after
 * it), so a silent primary is cut when the budget is due; each further attempt gets a full TTFT
 * window of its own. `graceMs` lets an inner tier's own deadline fire first (the edge waiting on
 * regional). Never past the end-to-end deadline.
 */
export const ttftWindowMs = (
  clocks: AttemptClocks,
  options: { first: boolean; firstShare?: number; graceMs?: number },
): number => {
  const grace = options.graceMs ?? 0;
  if (!options.first) return Math.min(clocks.ttftMs + grace, clocks.remainingMs());
  const full = clocks.ttftRemainingMs();
  const shared = full - clocks.ttftMs * (1 - (options.firstShare ?? 1));
  // Time already gone (a slow policy check) can leave no share: then the first attempt waits
  // what is left rather than failing a provider it never gave a chance.
  return Math.min((shared > 0 ? shared : full) + grace, clocks.remainingMs());
};

/**
 * Why an attempt failed, in the runner's terms: the client leaving, the end-to-end deadline and
 * an expired TTFT window are ours and say so whatever the adapter threw; anything else goes
 * through `toUpstreamError`.
 */
export const attemptFailure = (
  thrown: unknown,
  providerId: string,
  context: {
    totalSignal: AbortSignal;
    clientSignal?: AbortSignal | undefined;
    ttft?: { expired: boolean; windowMs: number };
  },
): UpstreamError => {
  if (context.clientSignal?.aborted) {
    return new UpstreamError('aborted', providerId, 'The client went away.', { cause: thrown });
  }
  if (context.totalSignal.aborted) {
    return new UpstreamError('deadline', providerId, 'The end-to-end budget ran out.', {
      cause: thrown,
    });
  }
  if (context.ttft?.expired) {
    return new UpstreamError(
      'ttft_timeout',
      providerId,
      `${providerId} sent no first token within ${Math.round(context.ttft.windowMs)} ms.`,
    );
  }
  return toUpstreamError(thrown, providerId);
};

/** One attempt's wait for its first chunk, the same at both tiers. */
export type FirstChunkWait = {
  /** For the upstream call: aborts on the client leaving, the deadline, the window, `abort`. */
  readonly signal: AbortSignal;
  /** The first chunk (or whole answer), raced against `signal` so a slow adapter cannot stretch it. */
  first<T>(next: Promise<T>): Promise<T>;
  /** Stops the window's timer: the first chunk is in, or the attempt is over. */
  settle(): void;
  /** Ends the call (a failure, or the client leaving mid-stream). */
  abort(reason?: unknown): void;
  /** Why the attempt failed: the client, the deadline, the window, else the thrown value. */
  failure(thrown: unknown): UpstreamError;
};

/**
 * Starts the wait for an attempt's first chunk, no longer than `windowMs`: at most one timer and
 * one combined signal per attempt. What fired first decides the failure, so a TTFT timeout is
 * `ttft_timeout` whichever way the adapter reports the abort.
 */
export const waitForFirstChunk = (options: {
  providerId: string;
  /** No window (a whole answer the end-to-end deadline bounds): no timer. */
  windowMs: number | undefined;
  totalSignal: AbortSignal;
  clientSignal?: AbortSignal | undefined;
}): FirstChunkWait => {
  const { providerId, windowMs, totalSignal, clientSignal } = options;
  const controller = linkedController(
    clientSignal === undefined ? [totalSignal] : [clientSignal, totalSignal],
  );
  const { signal } = controller;
  let expired = false;
  let timer: ReturnType<typeof setTimeout> | undefined =
    windowMs === undefined
      ? undefined
      : setTimeout(() => {
          expired = true;
          controller.abort();
        }, windowMs);
  const settle = () => {
    if (timer === undefined) return;
    clearTimeout(timer);
    timer = undefined;
  };
  return {
    signal,
    first: (next) => untilAborted(next, signal),
    settle,
    abort(reason) {
      settle();
      controller.abort(reason);
    },
    failure: (thrown) =>
      attemptFailure(thrown, providerId, {
        totalSignal,
        clientSignal,
        ttft: { expired, windowMs: windowMs ?? 0 },
      }),
  };
};
