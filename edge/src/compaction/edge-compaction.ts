import {
  type ChatCompletionRequest,
  type CheckpointStore,
  type CompactionResult,
  compactConversation,
  compactionSpecFor,
  type RouterConfig,
  type TenantConfig,
} from '@switchback/router-core';
import { aiOf } from '../routes/chat-completions.ts';
import { gatewayOption } from '../workers-ai/binding.ts';
import { createWorkersAiProvider } from '../workers-ai/provider.ts';

/** Checkpoints in the session's Durable Object (the object is the tenant-namespaced session). */
const sessionCheckpoints = (env: Env): CheckpointStore => ({
  get: async (scope) => (await env.SESSIONS.getByName(scope.session).checkpoint()) ?? undefined,
  put: async (scope, checkpoint) => {
    await env.SESSIONS.getByName(scope.session).saveCheckpoint(checkpoint);
  },
});

/** A summary takes at most this long: past it the request goes on whole. */
const SUMMARY_TIMEOUT_MS = 10_000;

/**
 * The checkpoint compaction of an edge request (router-core's `compactConversation`), for a
 * request that opted in (its workflow's config, or `x-switchback-compaction: auto`, read from
 * the client's headers before the router's own were stripped). Summaries are written by the
 * summarizer on Workers AI; checkpoints live in the session's Durable Object.
 */
export const edgeCompaction = (input: {
  env: Env;
  config: RouterConfig;
  tenant: TenantConfig;
  workflow: string | undefined;
  clientHeaders: Headers;
  upstream: ChatCompletionRequest;
  /** The tenant-namespaced session key, if the request has a session. */
  session: string | undefined;
  requestId: string;
  signal: AbortSignal;
}): Promise<CompactionResult> => {
  const { env, config } = input;
  return compactConversation(
    {
      request: input.upstream,
      spec: compactionSpecFor(config, input.workflow, input.clientHeaders),
      scope:
        input.session === undefined
          ? undefined
          : { tenantId: input.tenant.id, session: input.session },
      config,
      now: Date.now(),
    },
    {
      store: sessionCheckpoints(env),
      async summarize(request, target) {
        if (target.provider.kind !== 'workers-ai') {
          throw new Error(`the edge writes summaries on Workers AI; "${target.model.id}" is not`);
        }
        const provider = createWorkersAiProvider(
          target.provider.id,
          aiOf(env),
          gatewayOption(target.provider.gateway),
        );
        const completion = await provider.complete(
          { ...request, model: target.model.name },
          {
            signal: AbortSignal.any([input.signal, AbortSignal.timeout(SUMMARY_TIMEOUT_MS)]),
            requestId: `${input.requestId}-summary`,
          },
        );
        const content = completion.choices[0]?.message.content;
        return typeof content === 'string' ? content : '';
      },
    },
  );
};
