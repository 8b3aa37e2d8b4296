import { type BackgroundQueue, RouterError } from '@switchback/router-core';
import { edgeJobStore } from '../objects/stored-response-object.ts';
import type { BackgroundRun } from './background-response-workflow.ts';
import { instanceIdOf } from './instance-id.ts';
import { noteStarted } from './redrive.ts';

const unavailable = (cause: unknown): never => {
  throw new RouterError(
    'upstream_unavailable',
    'Background responses (Workflows) are unavailable; retry shortly.',
    { retryAfterSeconds: 1, cause },
  );
};

/** Whether the instance exists (created before, by a retried create or a race). */
const exists = async (workflow: Workflow<BackgroundRun>, id: string): Promise<boolean> => {
  try {
    await workflow.get(id);
    return true;
  } catch {
    return false;
  }
};

/**
 * The edge's background runs: a Workflow instance per response (`BACKGROUND`), its job kept in
 * the response's object until the run ends. A cancel terminates the instance; the run's call,
 * wherever it runs, sees the cancel stored and aborts its upstream request.
 */
export const edgeBackground = (env: Env): BackgroundQueue => ({
  async enqueue(job) {
    const jobs = edgeJobStore(env.RESPONSES);
    await jobs.put(job);
    const id = await instanceIdOf(job.tenantId, job.queued.id);
    const params: BackgroundRun = { tenantId: job.tenantId, id: job.queued.id };
    try {
      await env.BACKGROUND.create({ id, params });
    } catch (error) {
      if (!(await exists(env.BACKGROUND, id))) unavailable(error);
    }
    noteStarted(id);
  },
  async cancel(tenantId, id) {
    const instance = await env.BACKGROUND.get(await instanceIdOf(tenantId, id)).catch(
      () => undefined,
    );
    // An instance that has ended cannot be terminated: nothing is left to stop.
    await instance?.terminate().catch(() => {});
  },
});
