import type { ChatMessage } from '../src/index.ts';

/** The system prompt of `conversation`'s chats. */
export const SYSTEM = 'You are the support assistant of a bicycle shop.';

/**
 * The first `turns` turns of a support chat, the last one a user question without its answer:
 * what a client resends at turn `turns`. `tag` names whose chat it is in every message.
 */
export const conversation = (turns: number, tag = 'a'): ChatMessage[] => {
  const messages: ChatMessage[] = [{ role: 'system', content: SYSTEM }];
  for (let t = 1; t <= turns; t++) {
    messages.push({
      role: 'user',
      content: `[${tag}] Question ${t}: my order ${tag}-${t} has a wheel that wobbles after about ${t * 3} kilometres; what should I check first, and is it covered by the warranty?`,
    });
    if (t < turns) {
      messages.push({
        role: 'assistant',
        content: `[${tag}] Answer ${t}: check the spoke tension and the quick-release lever of order ${tag}-${t}; a wobble within the first 500 km is covered, so bring the receipt.`,
      });
    }
  }
  return messages;
};
