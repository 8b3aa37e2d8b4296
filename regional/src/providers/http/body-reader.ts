import type { IncomingMessage } from 'node:http';

const prematureClose = (): Error =>
  Object.assign(new Error('The upstream closed the connection before its answer ended.'), {
    code: 'ECONNRESET',
  });

/** A pull reader over a response body, one promise per read at most. */
export type BodyReader = {
  /**
   * Whatever arrived since the last read (all of it, in one piece), waiting only when nothing
   * has; `null` at the body's end; rejects when the connection failed or was aborted.
   */
  read(): Promise<Uint8Array | null>;
  /** Stops listening (before the body is resumed or destroyed). */
  detach(): void;
};

/**
 * Reads a response in paused mode: a read takes what the socket buffered (several SSE events
 * that came together are one read), and nothing is read while the caller does not ask, so a
 * slow client's backpressure reaches the upstream connection. No async iterator or stream
 * adapter per answer.
 */
export const bodyReader = (res: IncomingMessage): BodyReader => {
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  let ended = false;
  const poke = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  const onEnd = () => {
    ended = true;
    poke();
  };
  const onError = (error: Error) => {
    failure ??= error;
    poke();
  };
  const onClose = () => {
    if (!ended) failure ??= prematureClose();
    poke();
  };
  res.on('readable', poke);
  res.on('end', onEnd);
  res.on('error', onError);
  res.on('close', onClose);
  return {
    async read() {
      for (;;) {
        const chunk = res.read() as Uint8Array | null;
        if (chunk !== null) return chunk;
        if (failure !== undefined) throw failure;
        if (ended) return null;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
    detach() {
      res.off('readable', poke);
      res.off('end', onEnd);
      res.off('close', onClose);
      // An error after this is the destroy's or the pool's; keep a listener so none goes unhandled.
      res.off('error', onError);
      res.on('error', () => {});
    },
  };
};
