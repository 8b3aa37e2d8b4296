import type { ChatProvider, ProviderRequest } from '@switchback/router-core';
import { withoutOpenAiOnlyFields } from './openai-compatible-provider.ts';
import type { ProviderSetup } from './openai-provider.ts';
import { openAiShapedProvider } from './openai-shaped-provider.ts';

/** Kimi on Workers AI ignores `max_tokens`: it reads `max_completion_tokens` only. */
const takesOnlyMaxCompletionTokens = (model: string): boolean =>
  model.startsWith('@cf/moonshotai/kimi-');

const forWorkersAi = (request: ProviderRequest): ProviderRequest => {
  const body = withoutOpenAiOnlyFields(request);
  if (!takesOnlyMaxCompletionTokens(body.model) || body.max_tokens == null) return body;
  const { max_tokens, ...rest } = body;
  return { ...rest, max_completion_tokens: body.max_completion_tokens ?? max_tokens };
};

/** The REST root of an account's Workers AI, `…/accounts/<id>/ai`. */
export const workersAiRoot = (accountId: string): string =>
  `https://api.cloudflare.com/client/v4/accounts/${encodeURIComponent(accountId)}/ai`;

/**
 * Workers AI over REST (`…/ai/v1/chat/completions`, OpenAI's format for every model), for when
 * regional is the front door. The session's affinity key goes out as `x-session-affinity`, so a
 * session keeps landing on the instance that holds its prefix cache.
 */
export const workersAiProvider = (setup: ProviderSetup): ChatProvider =>
  openAiShapedProvider({
    ...setup,
    kind: 'workers-ai',
    client: 'direct',
    baseURL: `${setup.baseURL.replace(/\/+$/, '')}/v1`,
    prepare: (request) => forWorkersAi(request),
    headers: (call): Record<string, string> =>
      call.affinityKey === undefined ? {} : { 'x-session-affinity': call.affinityKey },
  });
