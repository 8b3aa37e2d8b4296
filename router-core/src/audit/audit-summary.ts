import { type Sha256HexSync, sha256Hex } from '../crypto/sha256.ts';
import type { ChatCompletionRequest } from '../openai/chat-request.ts';
import type { ChatCompletion } from '../openai/chat-response.ts';

/** What the client asked for, without its words: the model it named and its ask's SHA-256. */
export type AuditIntent = { requested_model: string; ask_sha256?: string };

/** What the answer was, without its words. */
export type AuditResponse = { finish_reason?: string; content_chars: number; tool_calls: number };

const textOf = (content: ChatCompletionRequest['messages'][number]['content']): string =>
  typeof content === 'string'
    ? content
    : Array.isArray(content)
      ? content.map((part) => ('text' in part ? part.text : '')).join('')
      : '';

/** The text of the request's last user turn, the ask its audit intent hashes. */
const askOf = (request: ChatCompletionRequest): string | undefined => {
  const ask = request.messages.findLast((message) => message.role === 'user');
  return ask === undefined ? undefined : textOf(ask.content);
};

const intentOf = (request: ChatCompletionRequest, askSha256: string | undefined): AuditIntent => ({
  requested_model: request.model,
  ...(askSha256 === undefined ? {} : { ask_sha256: askSha256 }),
});

/** The intent of a request for its audit event: an operator holding the transcript can match it. */
export const auditIntent = async (request: ChatCompletionRequest): Promise<AuditIntent> => {
  const ask = askOf(request);
  return intentOf(request, ask === undefined ? undefined : await sha256Hex(ask));
};

/** `auditIntent` with a synchronous hash: the same intent, computed without yielding. */
export const auditIntentWith = (
  request: ChatCompletionRequest,
  sha256: Sha256HexSync,
): AuditIntent => {
  const ask = askOf(request);
  return intentOf(request, ask === undefined ? undefined : sha256(ask));
};

/** The response of a non-streamed answer for its audit event. */
export const auditResponse = (completion: ChatCompletion): AuditResponse => {
  const choice = completion.choices[0];
  return {
    ...(choice?.finish_reason ? { finish_reason: choice.finish_reason } : {}),
    content_chars: completion.choices.reduce((n, c) => n + (c.message.content?.length ?? 0), 0),
    tool_calls: completion.choices.reduce((n, c) => n + (c.message.tool_calls?.length ?? 0), 0),
  };
};
