import type { ChatCompletionRequest } from '../openai/chat-request.ts';

/** The tools a request offers (by name) and the calls earlier turns made (with arguments). */
export const requestTools = (
  request: ChatCompletionRequest,
): { name: string; arguments?: string }[] | undefined => {
  const tools: { name: string; arguments?: string }[] = [];
  for (const tool of request.tools ?? []) tools.push({ name: tool.function.name });
  for (const message of request.messages) {
    if (message.role !== 'assistant') continue;
    for (const call of message.tool_calls ?? []) {
      tools.push({ name: call.function.name, arguments: call.function.arguments });
    }
  }
  return tools.length > 0 ? tools : undefined;
};
