import { DurableObject } from 'cloudflare:workers';
import {
  type BackgroundJob,
  type KeptResponse,
  type ResponseEventLog,
  type ResponseObject,
  type ResponseStore,
  type SequencedEvent,
  tenantScopedName,
} from '@switchback/router-core';
import { deleteSized, getSized, putSized, readSized } from './sized-kv.ts';

const KEPT_KEY = 'kept';
const JOB_KEY = 'job';
const OUTCOME_KEY = 'outcome';
const EVENT_PREFIX = 'event:';
/** Event keys sort as their sequence numbers do. */
const eventKey = (sequence: number) => `${EVENT_PREFIX}${String(sequence).padStart(10, '0')}`;

/**
 * One stored Responses-API response of one tenant (named `<tenant>:<response id>`, so another
 * tenant's lookup reaches an empty object): kept until its TTL, when an alarm deletes it. A
 * background response keeps its run's job and its call's outcome (until the run ends) and its
 * stream events beside it. Values that may grow with the answer are kept in parts (sized-kv.ts).
 */
export class StoredResponseObject extends DurableObject<Env> {
  /** The response, or undefined when there is none (never stored, deleted or expired). */
  get(): KeptResponse | undefined {
    const kept = getSized<KeptResponse>(this.ctx.storage.kv, KEPT_KEY);
    return kept !== undefined && kept.expiresAt > Date.now() ? kept : undefined;
  }

  /** Keeps `kept` until its `expiresAt`. */
  put(kept: KeptResponse): void {
    putSized(this.ctx.storage.kv, KEPT_KEY, kept);
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
    return this.get() === undefined
      ? undefined
      : getSized<BackgroundJob>(this.ctx.storage.kv, JOB_KEY);
  }

  putJob(job: BackgroundJob): void {
    putSized(this.ctx.storage.kv, JOB_KEY, job);
  }

  /** The run's call ended with `response`: kept for the run's last step (a retry overwrites it). */
  putOutcome(response: ResponseObject): void {
    putSized(this.ctx.storage.kv, OUTCOME_KEY, response);
  }

  /** What the run's call ended with, until the run ends. */
  outcome(): ResponseObject | undefined {
    return getSized<ResponseObject>(this.ctx.storage.kv, OUTCOME_KEY);
  }

  /** The run ended: its job (the conversation it was queued with) and outcome are not kept longer. */
  dropJob(): void {
    deleteSized(this.ctx.storage.kv, JOB_KEY);
    deleteSized(this.ctx.storage.kv, OUTCOME_KEY);
  }

  /** Keeps a run's events by sequence number (an event kept before is kept once). */
  appendEvents(events: readonly SequencedEvent[]): void {
    for (const event of events)
      putSized(this.ctx.storage.kv, eventKey(event.sequence_number), event);
  }

  /** The run's events above sequence number `after` (-1: all), in order. */
  eventsAfter(after: number): SequencedEvent[] {
    if (this.get() === undefined) return [];
    const events: SequencedEvent[] = [];
    const kv = this.ctx.storage.kv;
    const listed = kv.list({ prefix: EVENT_PREFIX, start: eventKey(after + 1) });
    for (const [key, stored] of listed) {
      const event = readSized<SequencedEvent>(kv, key, stored);
      if (event !== undefined) events.push(event);
    }
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
  /** Keeps what the run's call ended with (the call step returns only its status). */
  putOutcome: (tenantId: string, response: ResponseObject) =>
    objectOf(namespace, tenantId, response.id).putOutcome(response),
  outcome: async (tenantId: string, id: string) =>
    (await objectOf(namespace, tenantId, id).outcome()) as ResponseObject | undefined,
});
