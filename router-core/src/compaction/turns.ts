import type { ChatMessage } from '../openai/chat-request.ts';

/**
 * A conversation cut into its head (the leading system and developer messages) and its turns:
 * each turn starts at a user message and holds what followed it (assistant replies, tool calls
 * and their results), so a tool call and its results are always in one turn. Messages before the
 * first user message belong to the first turn.
 */
export type Turns = {
  /** How many leading messages form the head. */
  head: number;
  /** Index of each turn's first message, ascending; the last turn runs to the end. */
  starts: number[];
};

const isHead = (message: ChatMessage | undefined): boolean =>
  message?.role === 'system' || message?.role === 'developer';

/** The head and the turns of a conversation. */
export const splitTurns = (messages: readonly ChatMessage[]): Turns => {
  let head = 0;
  while (head < messages.length && isHead(messages[head])) head++;
  const starts: number[] = [];
  for (let i = head; i < messages.length; i++) {
    if (messages[i]?.role === 'user' || starts.length === 0) starts.push(i);
  }
  return { head, starts };
};

/** The index of the first message of turn `turn` (the end of the messages past the last one). */
export const turnStart = (turns: Turns, turn: number, length: number): number =>
  turns.starts[turn] ?? length;
