import type { ResponseStore } from '@switchback/router-core';
import { errorInfoOf, failUnfinished, unfinished } from './fail-unfinished.ts';
import { instanceIdOf } from './instance-id.ts';

/** Instance statuses after which its run writes nothing more. */
const ENDED: ReadonlySet<InstanceStatus['status']> = new Set(['errored', 'terminated', 'complete']);

/**
 * A response store that settles an unfinished background response whose Workflow instance has
 * ended: stored `failed`, with the instance's error when it errored. The run stores its own end
 * and fails its response when a step fails for good (background-response-workflow.ts); this is
 * for the ends no code of the run sees (the engine stopping an instance, a store that failed as
 * the run failed), so no read answers `in_progress` for a run that is over.
 */
export const settlingStore = (store: ResponseStore, env: Env): ResponseStore => ({
  ...store,
  async get(tenantId, id) {
    const kept = await store.get(tenantId, id);
    if (kept === undefined || !kept.response.background || !unfinished(kept.response.status)) {
      return kept;
    }
    const instanceId = await instanceIdOf(tenantId, id);
    const instance = await env.BACKGROUND.get(instanceId).catch(() => undefined);
    const now = await instance?.status().catch(() => undefined);
    if (now === undefined || !ENDED.has(now.status)) return kept;
    const error =
      now.status === 'errored' && now.error !== undefined
        ? errorInfoOf(new Error(now.error.message))
        : {
            code: 'upstream_error',
            message: `The background run ended (${now.status}) without storing its result.`,
          };
    return failUnfinished(store, tenantId, id, error);
  },
});
