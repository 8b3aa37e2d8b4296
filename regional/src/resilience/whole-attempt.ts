import {
  type ChatCompletion,
  type ChatProvider,
  type ProviderCallOptions,
  type RouteTarget,
  waitForFirstChunk,
} from '@switchback/router-core';
import type { RunInput } from './run-types.ts';

type WholeProvider = ChatProvider & Required<Pick<ChatProvider, 'completeFromStream'>>;

/** Whether a provider reads whole answers off its stream in one piece. */
export const readsWholeAnswers = (provider: ChatProvider): provider is WholeProvider =>
  provider.completeFromStream !== undefined;

/**
 * One attempt at a whole answer (a non-streamed request) under the same TTFT window as a
 * stream's first chunk: router-core's first-chunk wait, settled when the upstream's first event
 * arrives; after it the end-to-end deadline and the client bound the call. Their abort ends the
 * upstream call itself, so the answer is not raced against the signal.
 */
export const wholeAttempt = async (
  provider: WholeProvider,
  target: RouteTarget,
  input: RunInput,
  windowMs: number,
  onResponseHeaders?: ProviderCallOptions['onResponseHeaders'],
): Promise<ChatCompletion> => {
  const wait = waitForFirstChunk({
    providerId: provider.id,
    windowMs,
    totalSignal: input.budgets.totalSignal,
    clientSignal: input.clientSignal,
  });
  try {
    return await provider.completeFromStream(
      { ...input.request, model: target.model.name },
      {
        signal: wait.signal,
        requestId: input.requestId,
        ...(input.affinityKey === undefined ? {} : { affinityKey: input.affinityKey }),
        ...(input.prefix === undefined ? {} : { prefix: input.prefix }),
        ...(onResponseHeaders === undefined ? {} : { onResponseHeaders }),
        onFirstEvent() {
          wait.settle();
          input.budgets.firstToken();
        },
      },
    );
  } catch (thrown) {
    wait.abort();
    throw wait.failure(thrown);
  } finally {
    wait.settle();
  }
};
