import { estimateTextTokens, MESSAGE_OVERHEAD_TOKENS } from '../classify/estimate-tokens.ts';
import type { ChatMessage } from '../openai/chat-request.ts';

/** The text of a message: its content parts, then (assistant) each tool call as `name(args)`. */
export const messageText = (message: ChatMessage): string => {
  const { content } = message;
  let text =
    typeof content === 'string'
      ? content
      : Array.isArray(content)
        ? content.map((part) => (part.type === 'text' ? part.text : '[image]')).join('\n')
        : '';
  if (message.role === 'assistant') {
    for (const call of message.tool_calls ?? []) {
      text += `${text === '' ? '' : '\n'}${call.function.name}(${call.function.arguments})`;
    }
  }
  return text;
};

/** Estimated prompt tokens of some messages (framing included). */
export const messagesTokens = (messages: readonly ChatMessage[]): number => {
  let tokens = 0;
  for (const message of messages) {
    tokens += MESSAGE_OVERHEAD_TOKENS + estimateTextTokens(messageText(message));
  }
  return tokens;
};
