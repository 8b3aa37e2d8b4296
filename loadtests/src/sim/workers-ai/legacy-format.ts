import type { ChatRender, RenderContext } from '../chat/chat-adapter.ts';
import type { Frame } from '../chat/deliver.ts';
import { JSON_HEADERS, SSE_DONE, SSE_HEADERS, sse } from '../openai/openai-format.ts';
import { openAiCachedTokens } from '../state/prefix-cache.ts';

/** Arguments as an object, as the older models return them (raw text if cut short by max_tokens). */
const argumentsValue = (json: string): unknown => {
  try {
    return JSON.parse(json);
  } catch {
    return json;
  }
};

/**
 * The older Workers AI models (Llama …) on `run/`: `{result:{response, usage, tool_calls?}}`, and
 * when streamed `data: {"response":"tok"}` per token, a last `{"response":"","usage":…}`, then
 * `[DONE]`. A tool call comes whole, in one `{"response":"","tool_calls":[…]}` event.
 */
export const renderLegacy = (context: RenderContext): ChatRender => {
  const { plan, usage } = context;
  const usageValue = {
    prompt_tokens: usage.promptTokens,
    completion_tokens: plan.completionTokens,
    total_tokens: usage.promptTokens + plan.completionTokens,
    prompt_tokens_details: { cached_tokens: openAiCachedTokens(usage.hitTokens) },
  };
  const toolCalls = plan.toolCall
    ? [{ name: plan.toolCall.name, arguments: argumentsValue(plan.toolCall.fragments.join('')) }]
    : undefined;

  return {
    unaryHeaders: JSON_HEADERS,
    unary: () =>
      JSON.stringify({
        result: {
          response: plan.content.join(''),
          usage: usageValue,
          ...(toolCalls ? { tool_calls: toolCalls } : {}),
        },
        success: true,
        errors: [],
        messages: [],
      }),
    streamHeaders: SSE_HEADERS,
    stream: () => {
      const frames: Frame[] = toolCalls
        ? [sse({ response: '', tool_calls: toolCalls })]
        : plan.content.map((token) => sse({ response: token }));
      return { frames, tail: sse({ response: '', usage: usageValue }) + SSE_DONE };
    },
  };
};
