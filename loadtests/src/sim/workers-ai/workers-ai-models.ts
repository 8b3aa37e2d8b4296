import type { SimRequest } from '../http/sim-http.ts';

/** The large models answer in OpenAI's chat-completion format on `run/`; the rest in the old one. */
export const CHAT_COMPLETION_MODELS = [
  '@cf/moonshotai/kimi-k2.6',
  '@cf/zai-org/glm-4.7-flash',
] as const;
export const WORKERS_AI_MODELS = [
  '@cf/meta/llama-3.1-8b-instruct-fast',
  '@cf/meta/llama-3.3-70b-instruct-fp8-fast',
  ...CHAT_COMPLETION_MODELS,
] as const;

export const MODEL_FAMILIES = ['legacy', 'chat-completion'] as const;
export type ModelFamily = (typeof MODEL_FAMILIES)[number];

export const modelFamily = (model: string): ModelFamily =>
  (CHAT_COMPLETION_MODELS as readonly string[]).includes(model) ? 'chat-completion' : 'legacy';

/** Kimi takes `max_completion_tokens` only; a `max_tokens` sent to it is ignored, not rejected. */
export const acceptsMaxTokens = (model: string): boolean =>
  !model.startsWith('@cf/moonshotai/kimi-');

/** The large models think out loud first: these lead their `run/` answers as `reasoning_content`. */
export const REASONING_TOKENS = ['Thinking', ' briefly.'] as const;

/**
 * Workers AI reuses cached prefixes only within one `x-session-affinity` id (same id, same model
 * instance); without one nothing is cached.
 */
export const affinityScope = (req: SimRequest): string | null => {
  const id = req.headers['x-session-affinity'];
  return typeof id === 'string' && id !== '' ? `affinity:${id}` : null;
};
