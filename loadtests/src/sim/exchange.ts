import type { SimResponse } from './http/sim-http.ts';
import type { ModelStats } from './state/stats.ts';

/**
 * One accepted chat call: tracks its outcome in the stats and owns its timers, so a client that
 * goes away stops all work for it at once (no timer outlives its request).
 */
export class Exchange {
  readonly res: SimResponse;
  readonly startedAt = Date.now();
  #closed = false;
  #resetByUs = false;
  #timer: NodeJS.Timeout | undefined;
  #wake: ((alive: boolean) => void) | undefined;

  constructor(res: SimResponse, counters: ModelStats) {
    this.res = res;
    counters.calls++;
    counters.inFlight++;
    if (!res.socket || res.socket.destroyed) {
      // The client left while its body was being read: it never reaches 'close' below.
      this.#closed = true;
      counters.inFlight--;
      counters.clientAborted++;
      return;
    }
    // 'close' fires once the response finished or the connection died, whichever comes first.
    res.once('close', () => {
      this.#closed = true;
      counters.inFlight--;
      if (this.#resetByUs) {
        // A deliberate reset is neither a completion nor the client's doing.
      } else if (res.writableEnded) counters.completed++;
      else counters.clientAborted++;
      this.#cancelSleep();
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Waits `ms`; resolves false (early) if the exchange closed meanwhile. */
  sleep(ms: number): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      this.#wake = resolve;
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#wake = undefined;
        resolve(!this.#closed);
      }, ms);
    });
  }

  /** Cuts the connection, as a crashing upstream would. */
  reset(): void {
    this.#resetByUs = true;
    // With an error, so HTTP/2 sends RST_STREAM(INTERNAL_ERROR) rather than a clean NO_ERROR close.
    this.res.destroy(new Error('simulated connection reset'));
  }

  #cancelSleep(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.(false);
  }
}
