import {
  type BudgetConfig,
  type ChatCompletionRequest,
  type CheckpointStore,
  type CompactionDeps,
  type CompactionSpec,
  compactionSpecFor,
  createBudgets,
  type RouterConfig,
} from '@switchback/router-core';
import type { ProviderRunner } from '../resilience/provider-runner.ts';

/** What `planRoute` needs to checkpoint an opted-in request's session. */
export type CompactionRun = {
  /** What providers are sent (redacted): summaries and hashes are made of it. */
  upstream: ChatCompletionRequest;
  spec: CompactionSpec;
  deps: CompactionDeps;
};

/**
 * The compaction of a front-door request, if it opted in (its workflow's config or
 * `x-switchback-compaction: auto`): summaries go through the provider runner (breakers, retries)
 * to the summarizer under a budget of their own, so they never spend the request's first token.
 */
export const regionalCompaction = (
  deps: { config: RouterConfig; runner: ProviderRunner; checkpoints: CheckpointStore },
  input: {
    upstream: ChatCompletionRequest;
    workflow: string | undefined;
    headers: { get(name: string): string | null };
    budget: BudgetConfig;
    clientSignal: AbortSignal;
    requestId: string;
  },
): CompactionRun | undefined => {
  const spec = compactionSpecFor(deps.config, input.workflow, input.headers);
  if (spec === undefined) return undefined;
  return {
    upstream: input.upstream,
    spec,
    deps: {
      store: deps.checkpoints,
      async summarize(request, target) {
        const budgets = createBudgets(input.budget);
        try {
          const answer = await deps.runner.complete({
            request,
            targets: [target],
            budgets,
            clientSignal: input.clientSignal,
            requestId: `${input.requestId}-summary`,
          });
          const content = answer.completion.choices[0]?.message.content;
          return typeof content === 'string' ? content : '';
        } finally {
          budgets.dispose();
        }
      },
    },
  };
};
