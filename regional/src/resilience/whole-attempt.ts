import type {
  ChatCompletion,
  ChatProvider,
  ProviderCallOptions,
  RouteTarget,
} from '@switchback/router-core';
import { startAttempt } from './attempt-call.ts';
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
  const { wait, request, options } = startAttempt(
    provider,
    target,
    input,
    windowMs,
    onResponseHeaders,
  );
  try {
    return await provider.completeFromStream(request, {
      ...options,
      onFirstEvent() {
        wait.settle();
        input.budgets.firstToken();
      },
    });
  } catch (thrown) {
    wait.abort();
    throw wait.failure(thrown);
  } finally {
    wait.settle();
  }
};
