import { canonicalJson } from '../audit/canonical-json.ts';
import type { CompactionSpec, RouterConfig } from '../config/schema.ts';
import { sha256Hex } from '../crypto/sha256.ts';
import type { ChatCompletionRequest, ChatMessage } from '../openai/chat-request.ts';
import type { RouteTarget } from '../routing/contracts.ts';
import { targetOfModel } from '../routing/route-targets.ts';
import type { Checkpoint, CheckpointScope, CheckpointStore } from './checkpoint-store.ts';
import { messagesTokens } from './message-tokens.ts';
import { summaryMessage, summaryRequest } from './summary-request.ts';
import { splitTurns, type Turns, turnStart } from './turns.ts';

/** Why an opted-in request went upstream whole. */
export const WHOLE_REASONS = [
  // No session to keep a checkpoint in (`x-session-affinity`, `x-session-id` or `user`).
  'no_session',
  // No turn before the last `keepTurns` to cover.
  'too_short',
  // No checkpoint yet, and none due.
  'below_threshold',
  // The history does not start with the checkpoint's turns (edited or forked): a new one is made.
  'history_changed',
  // The summarizer failed and no earlier checkpoint covers the history.
  'summary_failed',
  // The checkpoint store could not be read (regional's Redis down, a Durable Object failing).
  'store_unavailable',
] as const;
export type WholeReason = (typeof WHOLE_REASONS)[number];

/** A checkpoint this request made: what the audit event keeps. */
export type MadeCheckpoint = {
  hash: string;
  coveredTurns: number;
  coveredMessages: number;
  /** Config id of the summarizer model. */
  model: string;
};

/** What compaction did to one request (none of it for a request that did not opt in). */
export type CompactionOutcome =
  | { kind: 'off' }
  | {
      kind: 'whole';
      reason: WholeReason;
      made?: MadeCheckpoint;
      /** Why a checkpoint could not be made or kept (summarizer or store), if one failed. */
      failure?: string;
    }
  | {
      kind: 'applied';
      /** Turns the summary stands for, and the messages they were. */
      coveredTurns: number;
      coveredMessages: number;
      /** Estimated prompt tokens the summary saved upstream. */
      savedTokens: number;
      /** The checkpoint used. */
      hash: string;
      made?: MadeCheckpoint;
      failure?: string;
    };

export type CompactionResult = {
  outcome: CompactionOutcome;
  /**
   * `request` (the client's words or the redacted copy: the same messages, one for one) with the
   * covered turns replaced by the summary; unchanged unless the outcome is `applied`.
   */
  apply(request: ChatCompletionRequest): ChatCompletionRequest;
};

export type CompactionInput = {
  /** What providers are sent (PII redacted): summaries and hashes are made of it. */
  request: ChatCompletionRequest;
  /** The request's compaction (`compactionSpecFor`); undefined: it did not opt in. */
  spec: CompactionSpec | undefined;
  /** The tenant and its namespaced session; undefined: no session. */
  scope: CheckpointScope | undefined;
  config: RouterConfig;
  /** Unix ms, for the checkpoint's `createdAt`. */
  now: number;
};

export type CompactionDeps = {
  store: CheckpointStore;
  /** Runs a summary request on the summarizer's target and resolves to the summary's text. */
  summarize(request: ChatCompletionRequest, target: RouteTarget): Promise<string>;
};

const OFF: CompactionResult = { outcome: { kind: 'off' }, apply: (request) => request };
const whole = (
  reason: WholeReason,
  extra: { made?: MadeCheckpoint; failure?: string } = {},
): CompactionResult => ({ outcome: { kind: 'whole', reason, ...extra }, apply: (r) => r });

const coveredHash = (messages: readonly ChatMessage[], turns: Turns, covered: number) =>
  sha256Hex(canonicalJson(messages.slice(turns.head, turns.head + covered)));

const errorText = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** Whether a stored checkpoint covers the start of this history, short of its last turns. */
const covers = async (
  checkpoint: Checkpoint,
  scope: CheckpointScope,
  messages: readonly ChatMessage[],
  turns: Turns,
  coverEnd: number,
): Promise<boolean> =>
  checkpoint.tenantId === scope.tenantId &&
  checkpoint.session === scope.session &&
  turns.head + checkpoint.coveredMessages <= coverEnd &&
  turns.starts[checkpoint.coveredTurns] === turns.head + checkpoint.coveredMessages &&
  (await coveredHash(messages, turns, checkpoint.coveredMessages)) === checkpoint.hash;

/** The request with a checkpoint's turns (after the `head` messages) replaced by its summary. */
export const withCheckpoint = (
  request: ChatCompletionRequest,
  head: number,
  checkpoint: Pick<Checkpoint, 'summary' | 'coveredTurns' | 'coveredMessages'>,
): ChatCompletionRequest => ({
  ...request,
  messages: [
    ...request.messages.slice(0, head),
    summaryMessage(checkpoint.summary, checkpoint.coveredTurns),
    ...request.messages.slice(head + checkpoint.coveredMessages),
  ],
});

const cut =
  (checkpoint: Checkpoint, head: number) =>
  (request: ChatCompletionRequest): ChatCompletionRequest =>
    withCheckpoint(request, head, checkpoint);

/**
 * Checkpoint summaries for one request of an opted-in session: reuses the session's checkpoint
 * when the history starts with the turns it covers, makes a new one (the summary of every turn
 * before the last `keepTurns`, extending the previous one) every `everyTurns` turns or once the
 * prompt sent upstream passes `aboveTokens`, and sends `[system, summary, the turns after it]`
 * upstream. An edited or forked history goes whole and gets a new checkpoint from scratch. The
 * current turn is never summarised; tool calls stay whole (a turn holds a call and its results).
 * Nothing here fails the request: a summarizer or store failure is reported in the outcome.
 */
export const compactConversation = async (
  input: CompactionInput,
  deps: CompactionDeps,
): Promise<CompactionResult> => {
  const { request, spec, scope } = input;
  if (spec === undefined) return OFF;
  if (scope === undefined) return whole('no_session');
  const { messages } = request;
  const turns = splitTurns(messages);
  const coverable = turns.starts.length - spec.keepTurns;
  if (coverable <= 0) return whole('too_short');
  const coverEnd = turnStart(turns, coverable, messages.length);

  let stored: Checkpoint | undefined;
  try {
    stored = await deps.store.get(scope);
  } catch (error) {
    // Without the session's checkpoint nothing is known to be covered: no summary is made.
    return whole('store_unavailable', { failure: `store: ${errorText(error)}` });
  }
  const valid =
    stored !== undefined && (await covers(stored, scope, messages, turns, coverEnd))
      ? stored
      : undefined;
  const target = targetOfModel(input.config, spec.summarizer);

  const make = async (
    previous: Checkpoint | undefined,
  ): Promise<{ checkpoint?: Checkpoint; failure?: string }> => {
    if (target === undefined) return { failure: `no model "${spec.summarizer}"` };
    const from = turns.head + (previous?.coveredMessages ?? 0);
    let summary: string;
    try {
      summary = (
        await deps.summarize(
          summaryRequest(
            spec.summarizer,
            previous?.summary,
            messages.slice(from, coverEnd),
            spec.summaryMaxTokens,
          ),
          target,
        )
      ).trim();
    } catch (error) {
      return { failure: `summarizer: ${errorText(error)}` };
    }
    if (summary === '') return { failure: 'summarizer: an empty summary' };
    const coveredMessages = coverEnd - turns.head;
    const checkpoint: Checkpoint = {
      tenantId: scope.tenantId,
      session: scope.session,
      coveredMessages,
      coveredTurns: coverable,
      hash: await coveredHash(messages, turns, coveredMessages),
      summary,
      model: spec.summarizer,
      createdAt: input.now,
    };
    try {
      await deps.store.put(scope, checkpoint);
      return { checkpoint };
    } catch (error) {
      // Still good for this request; the next one makes it again.
      return { checkpoint, failure: `store: ${errorText(error)}` };
    }
  };
  const madeOf = (c: Checkpoint): MadeCheckpoint => ({
    hash: c.hash,
    coveredTurns: c.coveredTurns,
    coveredMessages: c.coveredMessages,
    model: c.model,
  });

  if (stored !== undefined && valid === undefined) {
    const { checkpoint, failure } = await make(undefined);
    return whole('history_changed', {
      ...(checkpoint === undefined ? {} : { made: madeOf(checkpoint) }),
      ...(failure === undefined ? {} : { failure }),
    });
  }

  const fullTokens = messagesTokens(messages);
  const viewTokens = (c: Checkpoint | undefined): number =>
    c === undefined
      ? fullTokens
      : fullTokens -
        messagesTokens(messages.slice(turns.head, turns.head + c.coveredMessages)) +
        messagesTokens([summaryMessage(c.summary, c.coveredTurns)]);
  const newTurns = coverable - (valid?.coveredTurns ?? 0);
  const due =
    newTurns > 0 &&
    ((spec.everyTurns !== undefined && newTurns >= spec.everyTurns) ||
      (spec.aboveTokens !== undefined && viewTokens(valid) > spec.aboveTokens));

  let use = valid;
  let made: MadeCheckpoint | undefined;
  let failure: string | undefined;
  if (due) {
    const result = await make(valid);
    failure = result.failure;
    if (result.checkpoint !== undefined) {
      use = result.checkpoint;
      made = madeOf(result.checkpoint);
    }
  }
  if (use === undefined) {
    return due
      ? whole('summary_failed', failure === undefined ? {} : { failure })
      : whole('below_threshold');
  }
  const savedTokens = Math.max(0, fullTokens - viewTokens(use));
  return {
    outcome: {
      kind: 'applied',
      coveredTurns: use.coveredTurns,
      coveredMessages: use.coveredMessages,
      savedTokens,
      hash: use.hash,
      ...(made === undefined ? {} : { made }),
      ...(failure === undefined ? {} : { failure }),
    },
    apply: cut(use, turns.head),
  };
};

/** The `x-router-compaction` header of an outcome; undefined when the request did not opt in. */
export const compactionHeader = (outcome: CompactionOutcome): string | undefined => {
  switch (outcome.kind) {
    case 'off':
      return undefined;
    case 'whole':
      return `whole; reason=${outcome.reason}`;
    case 'applied':
      return `applied; covered=${outcome.coveredTurns}; saved_tokens=${outcome.savedTokens}`;
  }
};
