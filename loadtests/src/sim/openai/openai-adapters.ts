import { bearerToken, type ChatAdapter } from '../chat/chat-adapter.ts';
import { openAiErrors, sendOpenAiUnauthorized } from './openai-errors.ts';
import { renderOpenAiChat } from './openai-format.ts';
import { parseOpenAiChat } from './parse-openai-chat.ts';
import { parseOpenAiResponses } from './parse-openai-responses.ts';
import { renderOpenAiResponses, responsesErrors } from './responses-format.ts';

export const OPENAI_MODELS = [
  'gpt-4.1',
  'gpt-4.1-mini',
  'gpt-4o',
  'gpt-4o-mini',
  'gpt-5-mini',
] as const;
export const COMPAT_MODELS = [
  'meta-llama/Llama-3.1-8B-Instruct',
  'Qwen/Qwen2.5-7B-Instruct',
] as const;

/** OpenAI: `prompt_cache_key` is part of the cache key, as on the real API. */
export const openAiAdapter: ChatAdapter = {
  target: 'openai',
  errors: openAiErrors,
  authorized: (req) => bearerToken(req) !== undefined,
  unauthorized: sendOpenAiUnauthorized,
  parse: (body) =>
    parseOpenAiChat(body, {
      acceptMaxTokens: true,
      cacheScope: (b) =>
        typeof b.prompt_cache_key === 'string' ? `key:${b.prompt_cache_key}` : '',
    }),
  render: (context) =>
    renderOpenAiChat(context, {
      idPrefix: 'chatcmpl-',
      systemFingerprint: 'fp_sim0001',
      streamUsage: 'request',
      wrapResult: false,
      logprobs: true,
    }),
};

/** OpenAI's Responses API (`POST /v1/responses`): the same model, counted and faulted as `openai`. */
export const openAiResponsesAdapter: ChatAdapter = {
  target: 'openai',
  errors: responsesErrors,
  authorized: (req) => bearerToken(req) !== undefined,
  unauthorized: sendOpenAiUnauthorized,
  parse: (body) => parseOpenAiResponses(body),
  render: renderOpenAiResponses,
};

/** A vLLM-like server: `cmpl-` ids, no `system_fingerprint`, automatic prefix caching. */
export const compatAdapter: ChatAdapter = {
  target: 'compat',
  errors: openAiErrors,
  authorized: (req) => bearerToken(req) !== undefined,
  unauthorized: sendOpenAiUnauthorized,
  parse: (body) => parseOpenAiChat(body, { acceptMaxTokens: true, cacheScope: () => '' }),
  render: (context) =>
    renderOpenAiChat(context, {
      idPrefix: 'cmpl-',
      systemFingerprint: undefined,
      streamUsage: 'request',
      wrapResult: false,
      logprobs: true,
    }),
};
