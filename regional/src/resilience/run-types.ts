import type {
  AttemptClocks,
  Budgets,
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  FirstChunkWait,
  GatewayHop,
  PrefixHint,
  RouteTarget,
  StreamItem,
  UpstreamErrorKind,
  WireRead,
} from '@switchback/router-core';

/** The clocks the runner reads (router-core's `Budgets`). */
export type RunBudgets = AttemptClocks & Pick<Budgets, 'firstToken'>;

export type RunInput = {
  request: ChatCompletionRequest;
  /** Primary first, then the fallback chain. */
  targets: readonly RouteTarget[];
  budgets: RunBudgets;
  /** Aborts when the client goes away. */
  clientSignal: AbortSignal;
  requestId: string;
  /** Sticks the session to one backend of a pool, and goes to providers that honour it. */
  affinityKey?: string | undefined;
  prefix?: PrefixHint | undefined;
  /** Where attempts are appended as they finish (the request's record); a fresh list if absent. */
  attempts?: AttemptRecord[];
};

/** One call to one backend, as `/metrics` and the request log see it. */
export type AttemptRecord = {
  provider: string;
  model: string;
  backend: string;
  outcome: 'ok' | UpstreamErrorKind;
  status?: number;
  ms: number;
  /** The AI Gateway the call went through, and its cache status (`unknown` if it said none). */
  gateway?: GatewayHop;
};

export type Where = { target: RouteTarget; targetIndex: number; backend: string };

/** A streamed answer whose first chunk arrived: headers can go out now. */
export type OpenedStream = Where & {
  first: ChatCompletionChunk;
  /** The first read as the upstream sent it, when it speaks the client's wire (pass-through). */
  firstRead?: WireRead | undefined;
  /**
   * The rest, as chunks or (pass-through) as the upstream's own events; a failure comes out as a
   * RouterError (`budget_exceeded`, `upstream_error`).
   */
  rest: AsyncIterator<StreamItem>;
  /** Aborts the upstream call (the client went away). */
  close(): void;
  attempts: AttemptRecord[];
};

export type CompletedAnswer = Where & { completion: ChatCompletion; attempts: AttemptRecord[] };

/** An upstream call whose first chunk arrived, with what it takes to read on or abort it. */
export type Opened = {
  first: ChatCompletionChunk;
  firstRead?: WireRead | undefined;
  iterator: AsyncIterator<StreamItem>;
  /** The attempt's signal, abort and failure reading (router-core's first-chunk wait). */
  wait: FirstChunkWait;
};
