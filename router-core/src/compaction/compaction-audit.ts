import type { AuditCompaction } from '../audit/audit-event.ts';
import type { CompactionOutcome } from './compact-conversation.ts';

/** The audit event's `compaction` of an outcome: the checkpoint made (hash, turns, model) if one was. */
export const compactionAudit = (
  outcome: CompactionOutcome | undefined,
): AuditCompaction | undefined => {
  if (outcome === undefined || outcome.kind === 'off') return undefined;
  const made = outcome.made;
  return {
    result: outcome.kind,
    ...(outcome.kind === 'whole'
      ? { reason: outcome.reason }
      : {
          covered_turns: outcome.coveredTurns,
          saved_tokens: outcome.savedTokens,
          sha256: outcome.hash,
        }),
    ...(made === undefined
      ? {}
      : {
          checkpoint: {
            sha256: made.hash,
            covered_turns: made.coveredTurns,
            covered_messages: made.coveredMessages,
            model: made.model,
          },
        }),
    ...(outcome.failure === undefined ? {} : { failure: outcome.failure }),
  };
};
