import {
  type ChatProvider,
  RouterError,
  type RouteTarget,
  UpstreamError,
} from '@switchback/router-core';
import { createCompletionAssembler } from '../serving/completion-assembler.ts';
import { untilAborted } from './abortable.ts';
import type { Opened, RunInput } from './run-types.ts';

const messageOf = (thrown: unknown): string =>
  thrown instanceof Error ? thrown.message : String(thrown);

/** Why an attempt failed, in the runner's terms: our own aborts say which deadline fired. */
export const failureOf = (
  thrown: unknown,
  providerId: string,
  input: RunInput,
  ttft: { expired: boolean; ms: number },
): UpstreamError => {
  if (input.clientSignal.aborted) {
    return new UpstreamError('aborted', providerId, 'The client went away.', { cause: thrown });
  }
  if (input.budgets.totalSignal.aborted) {
    return new UpstreamError('deadline', providerId, 'The end-to-end budget ran out.', {
      cause: thrown,
    });
  }
  if (ttft.expired) {
    return new UpstreamError(
      'ttft_timeout',
      providerId,
      `${providerId} sent no first token within ${Math.round(ttft.ms)} ms.`,
    );
  }
  if (thrown instanceof UpstreamError) return thrown;
  return new UpstreamError('network', providerId, `${providerId} failed: ${messageOf(thrown)}`, {
    cause: thrown,
  });
};

/**
 * How long an attempt may wait for its first chunk. The first attempt has what is left of the
 * request's TTFT budget, counted from arrival, so a silent primary is cut when the budget is
 * due; once that is spent, each further attempt gets a full TTFT window of its own. Never past
 * the end-to-end deadline.
 */
export const ttftWindowMs = (
  input: RunInput,
  first: boolean,
  /** Share of the TTFT budget the first attempt may use when a fallback remains after it. */
  firstShare = 1,
): number => {
  if (!first) return Math.min(input.budgets.ttftMs, input.budgets.remainingMs());
  const full = input.budgets.ttftRemainingMs();
  const shared = full - input.budgets.ttftMs * (1 - firstShare);
  // Time already gone (a slow policy check) can leave no share: then the first attempt waits
  // what is left rather than failing a provider it never gave a chance.
  return Math.min(shared > 0 ? shared : full, input.budgets.remainingMs());
};

/** Calls the provider and waits for its first chunk, no longer than `windowMs`. */
export const openAttempt = async (
  provider: ChatProvider,
  target: RouteTarget,
  input: RunInput,
  windowMs: number,
): Promise<Opened> => {
  const controller = new AbortController();
  const signal = AbortSignal.any([
    input.clientSignal,
    input.budgets.totalSignal,
    controller.signal,
  ]);
  const ttft = { expired: false, ms: windowMs };
  const timer = setTimeout(() => {
    ttft.expired = true;
    controller.abort();
  }, ttft.ms);
  const iterator = provider
    .stream(
      { ...input.request, model: target.model.name },
      {
        signal,
        requestId: input.requestId,
        ...(input.affinityKey === undefined ? {} : { affinityKey: input.affinityKey }),
        ...(input.prefix === undefined ? {} : { prefix: input.prefix }),
      },
    )
    [Symbol.asyncIterator]();
  try {
    // Raced against the signal so a slow-to-abort adapter cannot stretch the deadline.
    const first = await untilAborted(iterator.next(), signal);
    if (first.done) {
      throw new UpstreamError('server', provider.id, `${provider.id} answered an empty stream.`);
    }
    return { first: first.value, iterator, controller, signal };
  } catch (thrown) {
    controller.abort();
    iterator.return?.().catch(() => {});
    throw failureOf(thrown, provider.id, input, ttft);
  } finally {
    clearTimeout(timer);
  }
};

/** Reads an opened answer to its end and folds it into one completion. */
export const drain = async (opened: Opened, providerId: string, input: RunInput) => {
  const assembler = createCompletionAssembler();
  assembler.add(opened.first);
  try {
    for (;;) {
      const next = await untilAborted(opened.iterator.next(), opened.signal);
      if (next.done) break;
      assembler.add(next.value);
    }
  } catch (thrown) {
    opened.controller.abort();
    opened.iterator.return?.().catch(() => {});
    throw failureOf(thrown, providerId, input, { expired: false, ms: 0 });
  }
  return assembler.result();
};

/** The end of the road for a request: client gone, deadline, or a request the provider refuses. */
export const stopError = (error: UpstreamError, input: RunInput): RouterError => {
  if (error.kind === 'deadline') {
    const reason: unknown = input.budgets.totalSignal.reason;
    return reason instanceof RouterError
      ? reason
      : new RouterError('budget_exceeded', 'The request ran out of its end-to-end budget.');
  }
  if (error.kind === 'aborted') {
    return new RouterError('upstream_unavailable', 'The client went away before the answer.');
  }
  return new RouterError('invalid_request', `The provider rejected the request: ${error.message}`, {
    cause: error,
  });
};

/** Every target failed: 503 with the longest `retry-after` any of them asked for. */
export const exhausted = (failures: UpstreamError[]): RouterError => {
  const waits = failures.map((f) => f.retryAfterMs ?? 0);
  const retryAfterSeconds = Math.max(1, Math.ceil(Math.max(0, ...waits) / 1000));
  const summary = failures.map(
    (f) => `${f.providerId}: ${f.kind}${f.status ? ` ${f.status}` : ''}`,
  );
  return new RouterError(
    'upstream_unavailable',
    `No provider could answer right now (${summary.join('; ')}). Retry shortly.`,
    { retryAfterSeconds },
  );
};
