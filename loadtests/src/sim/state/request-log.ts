import type { Target } from '../targets.ts';

/** The request headers worth asserting on: what the router forwards to providers. */
export const LOGGED_HEADERS = ['x-session-affinity', 'idempotency-key', 'x-request-id'] as const;
export type LoggedHeader = (typeof LOGGED_HEADERS)[number];

export interface LoggedRequest {
  target: Target;
  model: string;
  path: string;
  stream: boolean;
  headers: Partial<Record<LoggedHeader, string>>;
  body: unknown;
}

/** A ring buffer of the latest requests, so memory stays flat under load. */
export class RequestLog {
  readonly #capacity: number;
  #entries: LoggedRequest[] = [];
  #next = 0;

  constructor(capacity = 1_000) {
    this.#capacity = capacity;
  }

  add(entry: LoggedRequest): void {
    if (this.#entries.length < this.#capacity) this.#entries.push(entry);
    else this.#entries[this.#next] = entry;
    this.#next = (this.#next + 1) % this.#capacity;
  }

  /** The latest `limit` requests, oldest first (so `.at(-1)` is the last one). */
  recent(limit = this.#capacity): LoggedRequest[] {
    const ordered =
      this.#entries.length < this.#capacity
        ? this.#entries
        : [...this.#entries.slice(this.#next), ...this.#entries.slice(0, this.#next)];
    return limit >= ordered.length ? [...ordered] : ordered.slice(ordered.length - limit);
  }

  clear(): void {
    this.#entries = [];
    this.#next = 0;
  }
}
