import { bearerToken, type ChatAdapter } from '../chat/chat-adapter.ts';
import { renderOpenAiChat } from '../openai/openai-format.ts';
import { parseOpenAiChat } from '../openai/parse-openai-chat.ts';
import { cfErrors, sendCfUnauthorized } from './cf-errors.ts';
import { renderLegacy } from './legacy-format.ts';
import {
  acceptsMaxTokens,
  affinityScope,
  modelFamily,
  REASONING_TOKENS,
} from './workers-ai-models.ts';

const common = {
  target: 'workers-ai',
  errors: cfErrors,
  authorized: (req) => bearerToken(req) !== undefined,
  unauthorized: sendCfUnauthorized,
} as const satisfies Partial<ChatAdapter>;

/** `…/ai/v1/chat/completions`: OpenAI's format for every model. */
export const workersAiOpenAiAdapter: ChatAdapter = {
  ...common,
  parse: (body, req) => {
    const model =
      typeof body === 'object' && body !== null && 'model' in body ? String(body.model) : '';
    return parseOpenAiChat(body, {
      acceptMaxTokens: acceptsMaxTokens(model),
      cacheScope: () => affinityScope(req),
    });
  },
  render: (context) =>
    renderOpenAiChat(context, {
      idPrefix: 'chatcmpl-',
      systemFingerprint: undefined,
      streamUsage: 'request',
      wrapResult: false,
      logprobs: false,
    }),
};

/** `…/ai/run/<model>`: the format depends on the model family. */
export const workersAiRunAdapter = (model: string): ChatAdapter => {
  const family = modelFamily(model);
  return {
    ...common,
    parse: (body, req) =>
      parseOpenAiChat(body, {
        model,
        acceptMaxTokens: acceptsMaxTokens(model),
        workersAiRun: true,
        cacheScope: () => affinityScope(req),
      }),
    planOptions: () => (family === 'chat-completion' ? { reasoning: REASONING_TOKENS } : {}),
    render: (context) =>
      family === 'legacy'
        ? renderLegacy(context)
        : renderOpenAiChat(context, {
            idPrefix: 'chatcmpl-',
            systemFingerprint: undefined,
            streamUsage: 'running',
            wrapResult: true,
            logprobs: false,
          }),
  };
};
