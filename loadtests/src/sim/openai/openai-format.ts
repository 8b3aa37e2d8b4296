import type { ChatRender, RenderContext } from '../chat/chat-adapter.ts';
import type { Frame } from '../chat/deliver.ts';
import { newId } from '../chat/ids.ts';
import { openAiCachedTokens } from '../state/prefix-cache.ts';
import { simLogprobs } from './logprobs.ts';

/** How one OpenAI-compatible server differs from another. */
export interface OpenAiFlavor {
  /** `chatcmpl-` (OpenAI, Workers AI) or `cmpl-` (vLLM). */
  idPrefix: string;
  /** OpenAI sends one; vLLM does not. */
  systemFingerprint: string | undefined;
  /**
   * `request`: the usage chunk comes only with `stream_options.include_usage` (OpenAI);
   * `running`: every chunk carries the usage so far (Workers AI's large models on `run/`).
   */
  streamUsage: 'request' | 'running';
  /** Workers AI REST wraps a non-streamed answer in `{result, success, errors, messages}`. */
  wrapResult: boolean;
  /** Whether this server answers `logprobs: true` (OpenAI, vLLM); Workers AI ignores it. */
  logprobs: boolean;
}

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
} as const;
export const JSON_HEADERS = { 'content-type': 'application/json' } as const;
export const SSE_DONE = 'data: [DONE]\n\n';

export const sse = (data: unknown): string => `data: ${JSON.stringify(data)}\n\n`;

/** Renders a planned answer as `chat.completion` / `chat.completion.chunk` in one flavor. */
export const renderOpenAiChat = (context: RenderContext, flavor: OpenAiFlavor): ChatRender => {
  const { input, plan, usage } = context;
  const id = newId(flavor.idPrefix);
  const created = Math.floor(context.startedAt / 1000);
  const fingerprint = flavor.systemFingerprint
    ? { system_fingerprint: flavor.systemFingerprint }
    : {};
  const cachedTokens = openAiCachedTokens(usage.hitTokens);
  const usageAt = (completionTokens: number) => ({
    prompt_tokens: usage.promptTokens,
    completion_tokens: completionTokens,
    total_tokens: usage.promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: cachedTokens },
    completion_tokens_details: { reasoning_tokens: plan.reasoning.length },
  });
  const toolCall = plan.toolCall;
  // Logprobs cover the content tokens; a tool call's arguments get none, as on OpenAI.
  const top = flavor.logprobs ? input.logprobs : undefined;
  const tokenLogprobs = top === undefined ? undefined : simLogprobs(plan.content, top);
  const logprobsOf = (entries: unknown[] | undefined) =>
    entries === undefined ? null : { content: toolCall ? null : entries, refusal: null };

  const unary = (): string => {
    const message: Record<string, unknown> = {
      role: 'assistant',
      content: toolCall ? null : plan.content.join(''),
      refusal: null,
    };
    if (plan.reasoning.length > 0) message.reasoning_content = plan.reasoning.join('');
    if (toolCall) {
      message.tool_calls = [
        {
          id: toolCall.id,
          type: 'function',
          function: { name: toolCall.name, arguments: toolCall.fragments.join('') },
        },
      ];
    }
    const completion = {
      id,
      object: 'chat.completion',
      created,
      model: input.model,
      choices: [
        { index: 0, message, logprobs: logprobsOf(tokenLogprobs), finish_reason: plan.finish },
      ],
      usage: usageAt(plan.completionTokens),
      ...fingerprint,
    };
    return JSON.stringify(
      flavor.wrapResult
        ? { result: completion, success: true, errors: [], messages: [] }
        : completion,
    );
  };

  const stream = () => {
    const running = flavor.streamUsage === 'running';
    const withUsage = running || input.includeUsage;
    let emitted = 0;
    const chunk = (choices: unknown[], usageValue?: unknown): string =>
      sse({
        id,
        object: 'chat.completion.chunk',
        created,
        model: input.model,
        ...fingerprint,
        choices,
        ...(withUsage
          ? { usage: usageValue === undefined ? (running ? usageAt(emitted) : null) : usageValue }
          : {}),
      });
    const delta = (value: Record<string, unknown>, logprobs: unknown = null) =>
      chunk([{ index: 0, delta: value, logprobs, finish_reason: null }]);

    const first = toolCall
      ? delta({
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              index: 0,
              id: toolCall.id,
              type: 'function',
              function: { name: toolCall.name, arguments: '' },
            },
          ],
          refusal: null,
        })
      : delta({ role: 'assistant', content: '', refusal: null });

    const frames: Frame[] = [];
    const push = (value: Record<string, unknown>, logprobs: unknown = null) => {
      emitted++;
      frames.push(delta(value, logprobs));
    };
    for (const token of plan.reasoning) push({ reasoning_content: token });
    plan.content.forEach((token, i) => {
      const entry = tokenLogprobs?.[i];
      push({ content: token }, entry === undefined ? null : logprobsOf([entry]));
    });
    for (const fragment of toolCall?.fragments ?? []) {
      push({ tool_calls: [{ index: 0, function: { arguments: fragment } }] });
    }
    // The role chunk rides with the first token, so it arrives at the time to first token.
    if (frames.length === 0) frames.push(first);
    else frames[0] = first + frames[0];

    let tail = chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: plan.finish }]);
    if (withUsage) tail += chunk([], usageAt(plan.completionTokens));
    return { frames, tail: tail + SSE_DONE };
  };

  return {
    unaryHeaders: JSON_HEADERS,
    unary,
    streamHeaders: SSE_HEADERS,
    stream,
  };
};
