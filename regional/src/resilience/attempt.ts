import {
  type ChatProvider,
  type RouteTarget,
  UpstreamError,
  waitForFirstChunk,
} from '@switchback/router-core';
import { createCompletionAssembler } from '../serving/completion-assembler.ts';
import type { Opened, RunInput } from './run-types.ts';

/** Calls the provider and waits for its first chunk, no longer than `windowMs`. */
export const openAttempt = async (
  provider: ChatProvider,
  target: RouteTarget,
  input: RunInput,
  windowMs: number,
): Promise<Opened> => {
  const wait = waitForFirstChunk({
    providerId: provider.id,
    windowMs,
    totalSignal: input.budgets.totalSignal,
    clientSignal: input.clientSignal,
  });
  const iterator = provider
    .stream(
      { ...input.request, model: target.model.name },
      {
        signal: wait.signal,
        requestId: input.requestId,
        ...(input.affinityKey === undefined ? {} : { affinityKey: input.affinityKey }),
        ...(input.prefix === undefined ? {} : { prefix: input.prefix }),
      },
    )
    [Symbol.asyncIterator]();
  try {
    const first = await wait.first(iterator.next());
    if (first.done) {
      throw new UpstreamError('server', provider.id, `${provider.id} answered an empty stream.`);
    }
    return { first: first.value, iterator, wait };
  } catch (thrown) {
    wait.abort();
    iterator.return?.().catch(() => {});
    throw wait.failure(thrown);
  } finally {
    wait.settle();
  }
};

/** Reads an opened answer to its end and folds it into one completion. */
export const drain = async (opened: Opened) => {
  const assembler = createCompletionAssembler();
  assembler.add(opened.first);
  try {
    for (;;) {
      const next = await opened.wait.first(opened.iterator.next());
      if (next.done) break;
      assembler.add(next.value);
    }
  } catch (thrown) {
    opened.wait.abort();
    opened.iterator.return?.().catch(() => {});
    throw opened.wait.failure(thrown);
  }
  return assembler.result();
};
