export type BatchedLines = {
  /** Queues a line; it is written within `flushMs`, or at once when the batch is full. */
  push(line: string): void;
  /** Writes whatever is queued now, in order. */
  flush(): void;
};

export type BatchOptions = {
  /** The longest a line waits (default 25 ms). */
  flushMs?: number;
  /** A batch this long (in characters) is written at once (default 64 KiB). */
  maxChars?: number;
};

/**
 * Log lines written in batches: one `write` per `flushMs` instead of one per request. Writing to
 * stdout is a system call that wakes whoever reads it, and on a small VM that was a fifth of
 * `switchback serve`'s CPU per request (bench/README.md). Lines keep their order. The timer never keeps the process alive, so
 * whoever stops the service calls `flush()`.
 */
export const batchedLines = (
  write: (lines: string[]) => void,
  options: BatchOptions = {},
): BatchedLines => {
  const flushMs = options.flushMs ?? 25;
  const maxChars = options.maxChars ?? 64 * 1024;
  let pending: string[] = [];
  let chars = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return;
    const lines = pending;
    pending = [];
    chars = 0;
    write(lines);
  };

  return {
    push(line) {
      pending.push(line);
      chars += line.length + 1;
      if (chars >= maxChars) flush();
      else if (timer === undefined) {
        timer = setTimeout(flush, flushMs);
        timer.unref?.();
      }
    },
    flush,
  };
};
