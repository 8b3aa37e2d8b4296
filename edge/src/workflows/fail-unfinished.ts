import type {
  KeptResponse,
  ResponseErrorInfo,
  ResponseStatus,
  ResponseStore,
} from '@switchback/router-core';

/** Whether a response's run is still to end (`queued` or `in_progress`). */
export const unfinished = (status: ResponseStatus): boolean =>
  status === 'queued' || status === 'in_progress';

/**
 * The error a run ended with, from what ended it: a step's failure carries the failed response's
 * error as JSON (background-response-workflow.ts); anything else is an upstream error.
 */
export const errorInfoOf = (error: unknown): ResponseErrorInfo => {
  const message = error instanceof Error ? error.message : String(error);
  try {
    const parsed = JSON.parse(message) as Partial<ResponseErrorInfo> | null;
    if (typeof parsed?.code === 'string' && typeof parsed.message === 'string') {
      return { code: parsed.code, message: parsed.message };
    }
  } catch {
    // Not a failed response's error: the message as it is.
  }
  return { code: 'upstream_error', message };
};

/**
 * A background response whose run ended without storing its end, stored `failed` with `error`;
 * one that ended (a cancel, a result) stands. What is stored now, or undefined when it is gone.
 */
export const failUnfinished = async (
  store: ResponseStore,
  tenantId: string,
  id: string,
  error: ResponseErrorInfo,
): Promise<KeptResponse | undefined> => {
  const kept = await store.get(tenantId, id);
  if (kept === undefined || !unfinished(kept.response.status)) return kept;
  const failed: KeptResponse = { ...kept, response: { ...kept.response, status: 'failed', error } };
  await store.put(failed);
  return failed;
};
