import type { ChatCompletion } from '../openai/chat-response.ts';
import {
  newId,
  type OutputItem,
  type OutputMessage,
  outputLogprobs,
  type ResponseObject,
  responseUsage,
  statusOf,
} from './response-object.ts';

/**
 * A chat completion (first choice) as the output of `shell`: its text (and refusal) as one
 * message item, each tool call a `function_call` item after it; the finish reason as the status
 * and usage with cached tokens.
 */
export const fromChatCompletion = (
  shell: ResponseObject,
  completion: ChatCompletion,
): ResponseObject => {
  const choice = completion.choices[0];
  const output: OutputItem[] = [];
  const message = choice?.message;
  const content: OutputMessage['content'] = [];
  if (message?.content) {
    const logprobs = choice?.logprobs ? { logprobs: outputLogprobs(choice.logprobs) } : {};
    content.push({ type: 'output_text', text: message.content, annotations: [], ...logprobs });
  }
  if (message?.refusal) content.push({ type: 'refusal', refusal: message.refusal });
  const status = statusOf(choice?.finish_reason ?? null);
  if (content.length > 0) {
    output.push({
      id: newId('msg'),
      type: 'message',
      status: status.status === 'completed' ? 'completed' : 'incomplete',
      role: 'assistant',
      content,
    });
  }
  for (const call of message?.tool_calls ?? []) {
    output.push({
      id: newId('fc'),
      type: 'function_call',
      status: 'completed',
      call_id: call.id,
      name: call.function.name,
      arguments: call.function.arguments,
    });
  }
  return {
    ...shell,
    ...status,
    model: completion.model || shell.model,
    output,
    usage: completion.usage ? responseUsage(completion.usage) : null,
  };
};
