import type { ChatProvider, ProviderRequest } from '@switchback/router-core';
import type { ProviderSetup } from './openai-provider.ts';
import { openAiShapedProvider } from './openai-shaped-provider.ts';

/** Fields only OpenAI's own API knows; servers that validate strictly reject them. */
export const withoutOpenAiOnlyFields = (request: ProviderRequest): ProviderRequest => {
  const { prompt_cache_key, store, service_tier, metadata, ...rest } = request;
  return rest;
};

/** vLLM, SGLang, llama.cpp and the like: OpenAI's wire format without OpenAI's extras. */
export const openAiCompatibleProvider = (setup: ProviderSetup): ChatProvider =>
  openAiShapedProvider({
    ...setup,
    kind: 'openai-compatible',
    client: 'direct',
    prepare: (request) => withoutOpenAiOnlyFields(request),
  });
