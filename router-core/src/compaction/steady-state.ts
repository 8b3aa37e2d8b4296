import type { CompactionSpec } from '../config/schema.ts';
import type { ChatCompletionRequest } from '../openai/chat-request.ts';
import { withCheckpoint } from './compact-conversation.ts';
import { messagesTokens } from './message-tokens.ts';
import { splitTurns, turnStart } from './turns.ts';

/**
 * What a recorded request of a checkpointed session would send upstream, offline (`simulate`):
 * the checkpoint is assumed in place (the last one `everyTurns` made, or one covering every turn
 * before the last `keepTurns` once the history passes `aboveTokens`) and its summary as long as
 * `summaryMaxTokens` allows. Unchanged when no checkpoint would cover anything.
 */
export const checkpointedRequest = (
  request: ChatCompletionRequest,
  spec: CompactionSpec,
): ChatCompletionRequest => {
  const turns = splitTurns(request.messages);
  const coverable = turns.starts.length - spec.keepTurns;
  if (coverable <= 0) return request;
  let covered = 0;
  if (spec.everyTurns !== undefined)
    covered = Math.floor(coverable / spec.everyTurns) * spec.everyTurns;
  if (
    covered === 0 &&
    spec.aboveTokens !== undefined &&
    messagesTokens(request.messages) > spec.aboveTokens
  ) {
    covered = coverable;
  }
  if (covered === 0) return request;
  const end = turnStart(turns, covered, request.messages.length);
  // A stand-in of about summaryMaxTokens tokens (one per word).
  const summary = Array.from({ length: spec.summaryMaxTokens }, () => 'summary').join(' ');
  return withCheckpoint(request, turns.head, {
    summary,
    coveredTurns: covered,
    coveredMessages: end - turns.head,
  });
};
