import type { ChatProvider } from '@switchback/router-core';
import type { UpstreamPost } from './http/pooled-fetch.ts';
import { openAiShapedProvider } from './openai-shaped-provider.ts';

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

/** OpenAI itself: the prefix hint becomes `prompt_cache_key` unless the client set one. */
export const openAiProvider = (setup: ProviderSetup): ChatProvider =>
  openAiShapedProvider({
    ...setup,
    kind: 'openai',
    prepare: (request, call) =>
      request.prompt_cache_key === undefined && call.prefix
        ? { ...request, prompt_cache_key: call.prefix.key }
        : request,
  });
