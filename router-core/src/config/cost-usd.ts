import type { Usage } from '../openai/chat-response.ts';
import type { ModelConfig } from './schema.ts';

/** Estimated USD of one answer at the model's list price; cached input at the cached rate. */
export const costUsd = (usage: Usage, price: ModelConfig['price']): number => {
  const cached = Math.min(usage.prompt_tokens_details?.cached_tokens ?? 0, usage.prompt_tokens);
  return (
    ((usage.prompt_tokens - cached) * price.inputPerMillion +
      cached * price.cachedInputPerMillion +
      usage.completion_tokens * price.outputPerMillion) /
    1_000_000
  );
};
