import type { ResponseStore } from '@switchback/router-core';
import { instanceIdOf } from './instance-id.ts';

/**
 * Instances this isolate started or re-drove: running here already, or woken once. Bounded:
 * forgetting one costs at most one more harmless wake.
 */
const seen = new Set<string>();
const SEEN_CAPACITY = 10_000;

export const noteStarted = (instanceId: string): void => {
  if (seen.size >= SEEN_CAPACITY) seen.clear();
  seen.add(instanceId);
};

/** The event that wakes an instance; its run waits for none, so a live one only stores it. */
export const REDRIVE_EVENT = 'redrive';

/**
 * A response store that re-drives the Workflow instance of an unfinished background response it
 * reads, once per isolate (`BACKGROUND_REDRIVE = "on-read"`, the local stack). The local engine
 * keeps an instance's steps on disk but has no alarm: after `wrangler dev` restarts, an instance
 * that was running stays `running` with nothing driving it. An event sent to an instance that is
 * not running starts its run again from its stored steps (the ended ones return their results,
 * the one cut off runs again). Cloudflare's Workflows resume by themselves: there it is off.
 */
export const redrivingStore = (store: ResponseStore, env: Env): ResponseStore => {
  if (env.BACKGROUND_REDRIVE !== 'on-read') return store;
  return {
    ...store,
    async get(tenantId, id) {
      const kept = await store.get(tenantId, id);
      const status = kept?.response.status;
      if (kept?.response.background && (status === 'queued' || status === 'in_progress')) {
        const instanceId = await instanceIdOf(tenantId, id);
        if (!seen.has(instanceId)) {
          noteStarted(instanceId);
          const instance = await env.BACKGROUND.get(instanceId).catch(() => undefined);
          await instance?.sendEvent({ type: REDRIVE_EVENT, payload: null }).catch(() => {});
        }
      }
      return kept;
    },
  };
};
