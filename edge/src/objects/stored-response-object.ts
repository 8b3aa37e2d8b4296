import { DurableObject } from 'cloudflare:workers';
import {
  type BackgroundJob,
  type KeptResponse,
  type ResponseEventLog,
  type ResponseStore,
  type SequencedEvent,
  tenantScopedName,
} from '@switchback/router-core';

const KEPT_KEY = 'kept';
const JOB_KEY = 'job';
const EVENT_PREFIX = 'event:';
/** Event keys sort as their sequence numbers do. */
const eventKey = (sequence: number) => `${EVENT_PREFIX}${String(sequence).padStart(10, '0')}`;

/**
 * One stored Responses-API response of one tenant (named `<tenant>:<response id>`, so another
 * tenant's lookup reaches an empty object): kept until its TTL, when an alarm deletes it. A
 * background response keeps its run's job (until the run ends) and its stream events beside it.
 */
export class StoredResponseObject extends DurableObject<Env> {
  /** The response, or undefined when there is none (never stored, deleted or expired). */
  get(): KeptResponse | undefined {
    const kept = this.ctx.storage.kv.get<KeptResponse>(KEPT_KEY);
    return kept !== undefined && kept.expiresAt > Date.now() ? kept : undefined;
  }

  /** Keeps `kept` until its `expiresAt`. */
  put(kept: KeptResponse): void {
    this.ctx.storage.kv.put(KEPT_KEY, kept);
    void this.ctx.storage.setAlarm(kept.expiresAt);
  }

  /** Deletes it (its job and events too); whether there was one. */
  async delete(): Promise<boolean> {
    const found = this.get() !== undefined;
    await this.ctx.storage.deleteAll();
    return found;
  }

  /** The background run's job, while it runs. */
  job(): BackgroundJob | undefined {
    return this.get() === undefined ? undefined : this.ctx.storage.kv.get<BackgroundJob>(JOB_KEY);
  }

  putJob(job: BackgroundJob): void {
    this.ctx.storage.kv.put(JOB_KEY, job);
  }

  /** The run ended: its job (the conversation it was queued with) is not kept longer. */
  dropJob(): void {
    this.ctx.storage.kv.delete(JOB_KEY);
  }

  /** Keeps a run's events by sequence number (an event kept before is kept once). */
  appendEvents(events: readonly SequencedEvent[]): void {
    for (const event of events) this.ctx.storage.kv.put(eventKey(event.sequence_number), event);
  }

  /** The run's events above sequence number `after` (-1: all), in order. */
  eventsAfter(after: number): SequencedEvent[] {
    if (this.get() === undefined) return [];
    const events: SequencedEvent[] = [];
    const listed = this.ctx.storage.kv.list<SequencedEvent>({
      prefix: EVENT_PREFIX,
      start: eventKey(after + 1),
    });
    for (const [, event] of listed) events.push(event);
    return events;
  }

  override async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }
}

type Namespace = DurableObjectNamespace<StoredResponseObject>;

const objectOf = (namespace: Namespace, tenantId: string, id: string) =>
  namespace.getByName(tenantScopedName(tenantId, id));

/** The edge's ResponseStore: one StoredResponseObject per tenant and response id. */
export const edgeResponseStore = (namespace: Namespace): ResponseStore => ({
  async get(tenantId, id) {
    // The RPC stub types a result holding `unknown` (JSON schemas, metadata) as never; it is
    // the object's own KeptResponse, passed through the structured clone.
    const kept = (await objectOf(namespace, tenantId, id).get()) as KeptResponse | undefined;
    return kept?.tenantId === tenantId ? kept : undefined;
  },
  async put(kept) {
    await objectOf(namespace, kept.tenantId, kept.response.id).put(kept);
  },
  delete: (tenantId, id) => objectOf(namespace, tenantId, id).delete(),
});

/** Background runs' events, each run's in its response's object (gone with it at its TTL). */
export const edgeEventLog = (namespace: Namespace): ResponseEventLog => ({
  async append(tenantId, id, events) {
    if (events.length > 0) await objectOf(namespace, tenantId, id).appendEvents(events);
  },
  async after(tenantId, id, after) {
    return (await objectOf(namespace, tenantId, id).eventsAfter(after)) as SequencedEvent[];
  },
});

/** Where a background run's job waits while it runs: its response's object. */
export const edgeJobStore = (namespace: Namespace) => ({
  put: (job: BackgroundJob) => objectOf(namespace, job.tenantId, job.queued.id).putJob(job),
  get: async (tenantId: string, id: string) =>
    (await objectOf(namespace, tenantId, id).job()) as BackgroundJob | undefined,
  drop: (tenantId: string, id: string) => objectOf(namespace, tenantId, id).dropJob(),
});
