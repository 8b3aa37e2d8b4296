import {
  type ChatCompletionRequest,
  type ChatProvider,
  type FirstChunkWait,
  type ProviderCallOptions,
  type RouteTarget,
  waitForFirstChunk,
} from '@switchback/router-core';
import type { RunInput } from './run-types.ts';

/**
 * What every attempt (streamed or whole) starts with: router-core's first-chunk wait for
 * `windowMs` under the request's end-to-end and client signals, and the provider call it bounds
 * (the request for the target's model, the options the run carries).
 */
export const startAttempt = (
  provider: ChatProvider,
  target: RouteTarget,
  input: RunInput,
  windowMs: number,
  onResponseHeaders?: ProviderCallOptions['onResponseHeaders'],
): { wait: FirstChunkWait; request: ChatCompletionRequest; options: ProviderCallOptions } => {
  const wait = waitForFirstChunk({
    providerId: provider.id,
    windowMs,
    totalSignal: input.budgets.totalSignal,
    clientSignal: input.clientSignal,
  });
  return {
    wait,
    request: { ...input.request, model: target.model.name },
    options: {
      signal: wait.signal,
      requestId: input.requestId,
      ...(input.affinityKey === undefined ? {} : { affinityKey: input.affinityKey }),
      ...(input.prefix === undefined ? {} : { prefix: input.prefix }),
      ...(onResponseHeaders === undefined ? {} : { onResponseHeaders }),
    },
  };
};
