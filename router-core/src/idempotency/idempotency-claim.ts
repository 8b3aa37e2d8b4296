import { RouterError } from '../errors/router-error.ts';

/** A finished non-streaming answer, as replayed to a repeated request. */
export type StoredResponse = { status: number; headers: [string, string][]; body: string };

export type IdempotencyClaim =
  /** Nobody has run this key: the caller runs it, then completes or releases it. */
  | { kind: 'run' }
  | { kind: 'replay'; response: StoredResponse }
  /** The key was used with a different request body. */
  | { kind: 'conflict' }
  /** The first request with this key is still running after the caller's wait. */
  | { kind: 'in_progress' };

/** What a store holds for one key: a finished answer, a run in flight, or nothing. */
export type IdempotencyRecord =
  | { state: 'done'; fingerprint: string; response: StoredResponse }
  | { state: 'running'; fingerprint: string; until: number };

/** One look at a key: a claim to answer now, or `wait` for the run in flight to finish. */
export type IdempotencyStep = Exclude<IdempotencyClaim, { kind: 'in_progress' }> | { kind: 'wait' };

/** How long a stored answer is replayed. */
export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * The edge's idempotency semantics for one key, the same at both doors: a stored answer replays
 * (same body) or conflicts (different body); a live run by the same body is waited for, by a
 * different body conflicts; a run past its `until` is presumed lost and the key is free again.
 * Pure: the store applies `run` (records `running` until `now + runMs`) atomically with the look.
 */
export const idempotencyStep = (
  record: IdempotencyRecord | undefined,
  fingerprint: string,
  now: number,
): IdempotencyStep => {
  if (record?.state === 'done') {
    return record.fingerprint === fingerprint
      ? { kind: 'replay', response: record.response }
      : { kind: 'conflict' };
  }
  if (record === undefined || record.until <= now) return { kind: 'run' };
  return record.fingerprint === fingerprint ? { kind: 'wait' } : { kind: 'conflict' };
};

const KEY = /^[\x21-\x7e]{1,255}$/;

/** The `idempotency-key` header checked: 1-255 printable ASCII characters, else 400. */
export const checkIdempotencyKey = (key: string): string => {
  if (!KEY.test(key)) {
    throw new RouterError(
      'invalid_request',
      'idempotency-key must be 1-255 printable ASCII characters.',
    );
  }
  return key;
};

/** What a request hashes to under its key: a different body under the same key is a conflict. */
export const idempotencyFingerprintInput = (method: string, path: string, body: string): string =>
  `${method} ${path}\n${body}`;

/** Headers a replay repeats: what the first answer said about itself. */
export const REPLAYED_HEADERS = [
  'content-type',
  'x-router-tier',
  'x-router-provider',
  'x-router-model',
  'x-router-reasons',
] as const;

/** The answer to a claim that is not `run`: the replay, or the 409 the edge gives. */
export const answerClaim = (claim: Exclude<IdempotencyClaim, { kind: 'run' }>): Response => {
  switch (claim.kind) {
    case 'replay': {
      const { status, headers, body } = claim.response;
      const replay = new Response(body, { status, headers });
      replay.headers.set('idempotent-replayed', 'true');
      return replay;
    }
    case 'conflict':
      throw new RouterError(
        'conflict',
        'This idempotency-key was already used with a different request body.',
      );
    case 'in_progress':
      throw new RouterError(
        'conflict',
        'A request with this idempotency-key is still being processed; retry later.',
        { retryAfterSeconds: 1 },
      );
  }
};

/** The answer to keep for replays, or `undefined` when it must not be kept (failed, streamed). */
export const storableResponse = async (res: Response): Promise<StoredResponse | undefined> =>
  storableAnswer(res.status, res.headers, () => res.clone().text());

/** `storableResponse` over an answer's parts (a door that writes its own response). */
export const storableAnswer = async (
  status: number,
  headers: { get(name: string): string | null },
  body: () => string | Promise<string>,
): Promise<StoredResponse | undefined> => {
  if (status !== 200 || headers.get('content-type')?.startsWith('text/event-stream')) {
    return undefined;
  }
  const kept: [string, string][] = [];
  for (const name of REPLAYED_HEADERS) {
    const value = headers.get(name);
    if (value !== null) kept.push([name, value]);
  }
  return { status, headers: kept, body: await body() };
};
