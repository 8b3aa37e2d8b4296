/** Whose conversation a checkpoint belongs to: a tenant and its (tenant-namespaced) session. */
export type CheckpointScope = { tenantId: string; session: string };

/** A durable summary of a conversation's first turns, and what it covers. */
export type Checkpoint = {
  /** The scope it was made in: a stored checkpoint of another scope is never used. */
  tenantId: string;
  session: string;
  /** Messages after the head it covers, and how many turns they are. */
  coveredMessages: number;
  coveredTurns: number;
  /** Hex SHA-256 of the covered messages: a history that does not start with them is not covered. */
  hash: string;
  summary: string;
  /** Config id of the summarizer model that wrote it. */
  model: string;
  /** Unix ms. */
  createdAt: number;
};

/**
 * Where checkpoints live, one per session: the session's Durable Object at the edge, the state
 * store at regional. The door implements it; router-core only calls it.
 */
export interface CheckpointStore {
  get(scope: CheckpointScope): Promise<Checkpoint | undefined>;
  put(scope: CheckpointScope, checkpoint: Checkpoint): Promise<void>;
}
