import type { ChatCompletionRequest } from '../openai/chat-request.ts';

/** Longest session key accepted; longer ones are someone's mistake or an attack on memory. */
const MAX_SESSION_KEY = 256;

const clean = (value: string | null | undefined): string | undefined => {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed.slice(0, MAX_SESSION_KEY);
};

/**
 * The client's session key: the `x-session-affinity` header (Cloudflare's name), else
 * `x-session-id`, else the request's `user`; the first that is not blank.
 */
export const sessionKeyOf = (
  request: Pick<ChatCompletionRequest, 'user'>,
  headers: { get(name: string): string | null },
): string | undefined =>
  clean(headers.get('x-session-affinity')) ??
  clean(headers.get('x-session-id')) ??
  clean(request.user);
