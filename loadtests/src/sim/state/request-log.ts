import type { Target } from '../targets.ts';

/** The request headers worth asserting on: what the router forwards to providers. */
export const LOGGED_HEADERS = [
  'x-session-affinity',
  'idempotency-key',
  'x-request-id',
  // AI Gateway: the cache headers a hop sends, and the gateway a request came through.
  'cf-aig-cache-ttl',
  'cf-aig-skip-cache',
  'x-sim-gateway',
  // A Bedrock call through the gateway: its SigV4 held for AWS's host (`valid`, `unchecked`).
  'x-sim-sigv4',
] as const;
export type LoggedHeader = (typeof LOGGED_HEADERS)[number];

export interface LoggedRequest {
  target: Target;
  model: string;
  path: string;
  stream: boolean;
  headers: Partial<Record<LoggedHeader, string>>;
  body: unknown;
}

/** A bounded ring of the latest entries, oldest first. */
class Ring<T> {
  readonly #capacity: number;
  #entries: T[] = [];
  #next = 0;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  add(entry: T): void {
    if (this.#entries.length < this.#capacity) this.#entries.push(entry);
    else this.#entries[this.#next] = entry;
    this.#next = (this.#next + 1) % this.#capacity;
  }

  ordered(): T[] {
    return this.#entries.length < this.#capacity
      ? [...this.#entries]
      : [...this.#entries.slice(this.#next), ...this.#entries.slice(0, this.#next)];
  }
}

const latest = <T>(entries: T[], limit: number): T[] =>
  limit >= entries.length ? entries : entries.slice(entries.length - limit);

/**
 * The latest requests each target received, one bounded ring per target (so memory stays flat
 * under load and a busy target never pushes a quiet one's requests out).
 */
export class RequestLog {
  readonly #capacity: number;
  #rings = new Map<Target, Ring<{ seq: number; entry: LoggedRequest }>>();
  #seq = 0;

  /** `capacity` requests are kept per target. */
  constructor(capacity = 1_000) {
    this.#capacity = capacity;
  }

  add(entry: LoggedRequest): void {
    let ring = this.#rings.get(entry.target);
    if (ring === undefined) {
      ring = new Ring(this.#capacity);
      this.#rings.set(entry.target, ring);
    }
    ring.add({ seq: this.#seq++, entry });
  }

  /**
   * The latest `limit` requests of one target, or of all of them in the order they arrived;
   * oldest first (so `.at(-1)` is the last one).
   */
  recent(limit = this.#capacity, target?: Target): LoggedRequest[] {
    const rings = target === undefined ? [...this.#rings.values()] : [this.#rings.get(target)];
    const all = rings.flatMap((ring) => ring?.ordered() ?? []);
    if (target === undefined) all.sort((a, b) => a.seq - b.seq);
    return latest(all, limit).map((logged) => logged.entry);
  }

  clear(): void {
    this.#rings.clear();
  }
}
