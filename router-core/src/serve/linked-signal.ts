/**
 * A controller that aborts when any of `signals` does, with its reason. Cheaper than
 * `AbortSignal.any` on Node (no weak references to track): the links live as long as the
 * request's signals do, which is the request.
 */
export const linkedController = (signals: readonly AbortSignal[]): AbortController => {
  const controller = new AbortController();
  for (const signal of signals) {
    if (signal.aborted) {
      controller.abort(signal.reason);
      return controller;
    }
  }
  const onAbort = function (this: AbortSignal) {
    controller.abort(this.reason);
  };
  for (const signal of signals) signal.addEventListener('abort', onAbort, { once: true });
  return controller;
};
