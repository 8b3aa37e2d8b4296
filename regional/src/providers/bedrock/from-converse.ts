import type { ConverseResponse, StopReason, TokenUsage } from '@aws-sdk/client-bedrock-runtime';
import type { ChatCompletion, FinishReason, ToolCall, Usage } from '@switchback/router-core';

const FINISH: Record<StopReason, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  tool_use: 'tool_calls',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  content_filtered: 'content_filter',
  guardrail_intervened: 'content_filter',
  malformed_model_output: 'stop',
  malformed_tool_use: 'stop',
};

/** Bedrock's stop reason as OpenAI's finish reason. */
export const toFinishReason = (reason: StopReason | string | undefined): FinishReason =>
  (reason !== undefined && FINISH[reason as StopReason]) || 'stop';

/**
 * Bedrock's usage in OpenAI's terms. Bedrock's `inputTokens` excludes cached reads and writes;
 * OpenAI's `prompt_tokens` counts the whole prompt, cached part included.
 */
export const toUsage = (usage: TokenUsage | undefined): Usage | undefined => {
  if (!usage) return undefined;
  const read = usage.cacheReadInputTokens ?? 0;
  const prompt = (usage.inputTokens ?? 0) + read + (usage.cacheWriteInputTokens ?? 0);
  const completion = usage.outputTokens ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: read },
  };
};

/** A forced answer tool's `tool_use` stop is the end of a normal answer. */
export const answerOf = (
  finish: FinishReason,
  answerTool: string | undefined,
  toolCalls: readonly unknown[],
): FinishReason =>
  answerTool !== undefined && finish === 'tool_calls' && toolCalls.length === 0 ? 'stop' : finish;

/**
 * A Converse answer as an OpenAI chat completion. With `answerTool` (the forced tool that carries
 * `response_format`), that tool's input is the answer: the message content as a JSON string, and
 * a finished call a normal `stop`.
 */
export const fromConverse = (
  response: ConverseResponse,
  meta: { id: string; model: string; created: number },
  answerTool?: string,
): ChatCompletion => {
  let text = '';
  let reasoning = '';
  const toolCalls: ToolCall[] = [];
  for (const block of response.output?.message?.content ?? []) {
    if (block.text !== undefined) text += block.text;
    else if (block.reasoningContent?.reasoningText?.text !== undefined) {
      reasoning += block.reasoningContent.reasoningText.text;
    } else if (block.toolUse && answerTool !== undefined && block.toolUse.name === answerTool) {
      text += JSON.stringify(block.toolUse.input ?? {});
    } else if (block.toolUse) {
      toolCalls.push({
        id: block.toolUse.toolUseId ?? '',
        type: 'function',
        function: {
          name: block.toolUse.name ?? '',
          arguments: JSON.stringify(block.toolUse.input ?? {}),
        },
      });
    }
  }
  const message: ChatCompletion['choices'][number]['message'] = {
    role: 'assistant',
    content: text === '' && toolCalls.length > 0 ? null : text,
  };
  if (reasoning !== '') message.reasoning_content = reasoning;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  const completion: ChatCompletion = {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: [
      {
        index: 0,
        message,
        finish_reason: answerOf(toFinishReason(response.stopReason), answerTool, toolCalls),
        logprobs: null,
      },
    ],
  };
  const usage = toUsage(response.usage);
  if (usage) completion.usage = usage;
  return completion;
};
