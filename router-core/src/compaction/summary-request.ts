import type { ChatCompletionRequest, ChatMessage } from '../openai/chat-request.ts';
import { messageText } from './message-tokens.ts';

/**
 * The summarizer's instruction, the first message of every summary request (the simulated
 * providers recognise it and answer with a deterministic summary).
 */
export const SUMMARIZER_INSTRUCTION =
  'You write checkpoint summaries of conversations. Summarise the conversation below for the assistant that will continue it: the facts, decisions, open questions, names and numbers it must not lose, and the results of tool calls. Write plain prose, no preamble.';

/** What a transcript line says about one message. */
const transcriptLine = (message: ChatMessage): string => {
  const who =
    message.role === 'tool'
      ? `tool result (${message.tool_call_id})`
      : message.role === 'assistant' && (message.tool_calls?.length ?? 0) > 0
        ? 'assistant (tool calls)'
        : message.role;
  return `${who}: ${messageText(message)}`;
};

/**
 * The request that asks the summarizer for a checkpoint: the previous summary (when the new
 * checkpoint extends one) and the newly covered messages as a transcript.
 */
export const summaryRequest = (
  model: string,
  previous: string | undefined,
  messages: readonly ChatMessage[],
  maxTokens: number,
): ChatCompletionRequest => {
  const transcript = messages.map(transcriptLine).join('\n');
  const content =
    previous === undefined
      ? `Conversation:\n${transcript}`
      : `Summary so far:\n${previous}\n\nConversation since:\n${transcript}`;
  return {
    model,
    stream: false,
    max_tokens: maxTokens,
    messages: [
      { role: 'system', content: SUMMARIZER_INSTRUCTION },
      { role: 'user', content },
    ],
  };
};

/** The message that stands for the covered turns upstream. */
export const summaryMessage = (summary: string, coveredTurns: number): ChatMessage => ({
  role: 'system',
  content: `Summary of the first ${coveredTurns} turns of this conversation (checkpoint):\n${summary}`,
});
