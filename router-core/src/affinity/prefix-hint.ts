import { estimateTextTokens, MESSAGE_OVERHEAD_TOKENS } from '../classify/estimate-tokens.ts';
import type { RouterConfig } from '../config/schema.ts';
import { FastHash } from '../crypto/fast-hash.ts';
import type { ChatCompletionRequest, ChatMessage } from '../openai/chat-request.ts';
import type { PrefixHint } from '../provider/chat-provider.ts';

/** Length of the stable head: leading system/developer messages, then `headTurns` more. */
const headLength = (messages: readonly ChatMessage[], headTurns: number): number => {
  let i = 0;
  while (
    i < messages.length &&
    (messages[i]?.role === 'system' || messages[i]?.role === 'developer')
  ) {
    i++;
  }
  return Math.min(messages.length, i + headTurns);
};

const feedMessage = (hash: FastHash, message: ChatMessage): number => {
  hash.update(message.role);
  let tokens = MESSAGE_OVERHEAD_TOKENS;
  const { content } = message;
  if (typeof content === 'string') {
    hash.update(content);
    tokens += estimateTextTokens(content);
  } else if (Array.isArray(content)) {
    for (const part of content) {
      if (part.type === 'text') {
        hash.update(part.text);
        tokens += estimateTextTokens(part.text);
      } else hash.update(part.image_url.url);
    }
  }
  if (message.role === 'assistant') {
    for (const call of message.tool_calls ?? [])
      hash.update(call.function.name).update(call.function.arguments);
  }
  return tokens;
};

/**
 * The prefix-cache hint of a request: a tenant-namespaced hash of its stable head (system prompt,
 * tool definitions, the first `prefix.headTurns` turns), how many messages that head spans and
 * its estimated tokens. Undefined when the head is under `prefix.minTokens` (nothing would cache).
 */
export const prefixHint = (
  request: ChatCompletionRequest,
  tenantId: string,
  config: Pick<RouterConfig, 'prefix'>,
): PrefixHint | undefined => {
  const hash = new FastHash().update('switchback-prefix-v1').update(tenantId);
  let tokens = 0;
  for (const tool of request.tools ?? []) {
    const fn = tool.function;
    const parameters = fn.parameters === undefined ? '' : JSON.stringify(fn.parameters);
    hash
      .update(fn.name)
      .update(fn.description ?? '')
      .update(parameters);
    tokens += 8 + estimateTextTokens(fn.name) + estimateTextTokens(fn.description ?? '');
    tokens += estimateTextTokens(parameters);
  }
  const messageCount = headLength(request.messages, config.prefix.headTurns);
  for (let i = 0; i < messageCount; i++) {
    const message = request.messages[i];
    if (message !== undefined) tokens += feedMessage(hash, message);
  }
  if ((messageCount === 0 && tokens === 0) || tokens < config.prefix.minTokens) return undefined;
  return { key: `pfx-${hash.hex()}`, messageCount, tokens };
};
