import { DurableObject } from 'cloudflare:workers';
import {
  type Checkpoint,
  type Decision,
  newSession,
  nextSessionState,
  type RouterConfig,
  type SessionState,
} from '@switchback/router-core';

/** What one session remembers: router-core's state, plus the model that served it last. */
export type SessionRecord = SessionState & { model?: string };

/** One routed turn, as the session needs to know it. */
export type SessionTurn = {
  decision: Pick<Decision, 'tier' | 'reasons'>;
  affinity: RouterConfig['affinity'];
  /** Config id of the model the turn was routed to. */
  model: string;
  prefixKey?: string;
};

const STATE_KEY = 'state';
const CHECKPOINT_KEY = 'checkpoint';
/** An idle session is forgotten after a day. */
const IDLE_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Session state per namespaced affinity key (one object per tenant and session): the tier the
 * session is pinned to and for how many more turns, the turn count, the last prefix key, and the
 * session's checkpoint summary when it is compacted. The
 * rules are router-core's (`nextSessionState`); this object only keeps the result, one turn at
 * a time (synchronous storage, so concurrent turns never lose an update).
 */
export class SessionObject extends DurableObject<Env> {
  state(): SessionRecord {
    return this.ctx.storage.kv.get<SessionRecord>(STATE_KEY) ?? newSession();
  }

  recordTurn(turn: SessionTurn): SessionRecord {
    const next: SessionRecord = {
      ...nextSessionState(this.state(), turn.decision, { affinity: turn.affinity }, turn.prefixKey),
      model: turn.model,
    };
    this.ctx.storage.kv.put(STATE_KEY, next);
    void this.ctx.storage.setAlarm(Date.now() + IDLE_TTL_MS);
    return next;
  }

  /** The session's checkpoint summary (#16's compaction), if one was made. */
  checkpoint(): Checkpoint | undefined {
    return this.ctx.storage.kv.get<Checkpoint>(CHECKPOINT_KEY);
  }

  /** Keeps a new checkpoint in place of the last; it expires with the session. */
  saveCheckpoint(checkpoint: Checkpoint): void {
    this.ctx.storage.kv.put(CHECKPOINT_KEY, checkpoint);
    void this.ctx.storage.setAlarm(Date.now() + IDLE_TTL_MS);
  }

  override async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }
}
