/**
 * Background responses running in this process, each with its abort: a cancel stops its
 * upstream call (the chat request carries the signal). Regional's, one per process.
 */
export type BackgroundRuns = {
  /** Registers a run under `key` (tenant and response id); its signal aborts on cancel. */
  start(key: string): AbortSignal;
  /** The run ended (whatever way): forget it. */
  end(key: string): void;
  /** Aborts the run under `key`; whether one was running here. */
  cancel(key: string): boolean;
  readonly size: number;
};

/** The key of a tenant's response among the runs. */
export const runKey = (tenantId: string, id: string): string => `${tenantId}\u0000${id}`;

/** Background runs in a map of abort controllers. */
export const createBackgroundRuns = (): BackgroundRuns => {
  const running = new Map<string, AbortController>();
  return {
    start(key) {
      const controller = new AbortController();
      running.set(key, controller);
      return controller.signal;
    },
    end(key) {
      running.delete(key);
    },
    cancel(key) {
      const controller = running.get(key);
      if (controller === undefined) return false;
      running.delete(key);
      controller.abort(new Error('The background response was cancelled.'));
      return true;
    },
    get size() {
      return running.size;
    },
  };
};
