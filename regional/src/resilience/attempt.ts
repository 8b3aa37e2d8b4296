import {
  type ChatProvider,
  isWireRead,
  type ProviderCallOptions,
  type RouteTarget,
  type StreamItem,
  UpstreamError,
} from '@switchback/router-core';
import { createCompletionAssembler } from '../serving/completion-assembler.ts';
import { startAttempt } from './attempt-call.ts';
import type { Opened, RunInput } from './run-types.ts';

/**
 * Calls the provider and waits for its first chunk, no longer than `windowMs`. With `wire`, a
 * provider that speaks the client's wire streams its own events (pass-through).
 */
export const openAttempt = async (
  provider: ChatProvider,
  target: RouteTarget,
  input: RunInput,
  windowMs: number,
  wire = false,
  onResponseHeaders?: ProviderCallOptions['onResponseHeaders'],
): Promise<Opened> => {
  const { wait, request, options } = startAttempt(
    provider,
    target,
    input,
    windowMs,
    onResponseHeaders,
  );
  const iterator: AsyncIterator<StreamItem> =
    wire && provider.streamWire
      ? provider.streamWire(request, options)[Symbol.asyncIterator]()
      : provider.stream(request, options)[Symbol.asyncIterator]();
  try {
    const first = await wait.first(iterator.next());
    if (first.done) {
      throw new UpstreamError('server', provider.id, `${provider.id} answered an empty stream.`);
    }
    if (!isWireRead(first.value)) return { first: first.value, iterator, wait };
    const head = first.value.events[0];
    if (head === undefined) {
      throw new UpstreamError('server', provider.id, `${provider.id} answered an empty read.`);
    }
    return { first: head.chunk(), firstRead: first.value, iterator, wait };
  } catch (thrown) {
    wait.abort();
    iterator.return?.().catch(() => {});
    throw wait.failure(thrown);
  } finally {
    wait.settle();
  }
};

/**
 * Reads an opened answer to its end and folds it into one completion. Only the first chunk is
 * raced against the signal: after it, an abort (deadline, client gone) ends the upstream call
 * itself, so each further chunk costs no promise and listener of its own.
 */
export const drain = async (opened: Opened) => {
  const assembler = createCompletionAssembler();
  const add = (item: StreamItem) => {
    if (!isWireRead(item)) assembler.add(item);
    else for (const event of item.events) assembler.add(event.chunk());
  };
  add(opened.firstRead ?? opened.first);
  try {
    for (;;) {
      const next = await opened.iterator.next();
      if (next.done) break;
      add(next.value);
    }
  } catch (thrown) {
    opened.wait.abort();
    opened.iterator.return?.().catch(() => {});
    throw opened.wait.failure(thrown);
  }
  return assembler.result();
};
