import type { ChatProvider, ProviderCallOptions, ProviderRequest } from '@switchback/router-core';
import type { UpstreamPost } from './http/pooled-fetch.ts';
import { openAiShapedProvider } from './openai-shaped-provider.ts';
import { openAiResponsesProvider } from './responses-api/openai-responses-provider.ts';

export type ProviderSetup = {
  id: string;
  baseURL: string;
  apiKey: string | undefined;
  apiKeyEnv?: string | undefined;
  fetch?: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  /** The pool's POST in Node's types, for the providers that speak the wire directly. */
  post?: UpstreamPost;
  /** Headers on every call (an AI Gateway hop's cache headers). */
  fixedHeaders?: Record<string, string>;
};

// The prefix hint becomes `prompt_cache_key` unless the client set one.
const withCacheKey = (request: ProviderRequest, call: ProviderCallOptions): ProviderRequest =>
  request.prompt_cache_key === undefined && call.prefix
    ? { ...request, prompt_cache_key: call.prefix.key }
    : request;

/**
 * OpenAI itself, on chat completions or (`responsesApi: native`) its Responses endpoint; either
 * way the prefix hint becomes `prompt_cache_key` unless the client set one.
 */
export const openAiProvider = (
  setup: ProviderSetup & { responsesApi?: 'chat' | 'native' | undefined },
): ChatProvider =>
  setup.responsesApi === 'native'
    ? openAiResponsesProvider({ ...setup, prepare: withCacheKey })
    : openAiShapedProvider({ ...setup, kind: 'openai', prepare: withCacheKey });
