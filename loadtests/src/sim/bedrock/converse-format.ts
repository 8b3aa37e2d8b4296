import type { ChatRender, RenderContext } from '../chat/chat-adapter.ts';
import { newId } from '../chat/ids.ts';
import type { FinishReason } from '../chat/reply-plan.ts';
import { EVENT_STREAM_CONTENT_TYPE, eventStreamEvent } from './event-stream.ts';

const STOP_REASONS = {
  stop: 'end_turn',
  tool_calls: 'tool_use',
  length: 'max_tokens',
} as const satisfies Record<FinishReason, string>;

const toolInput = (json: string): unknown => {
  try {
    return JSON.parse(json);
  } catch {
    // Cut short by maxTokens: the partial JSON is not a document; Bedrock would send none.
    return {};
  }
};

/**
 * Converse / ConverseStream. Cache accounting as Bedrock reports it for Claude: `inputTokens` is
 * the uncached part; a prefix read back is `cacheReadInputTokens`, a newly cached stretch up to
 * the last `cachePoint` is `cacheWriteInputTokens`; `totalTokens` adds all of them.
 */
export const renderConverse = (context: RenderContext): ChatRender => {
  const { plan, usage } = context;
  const requestId = newId('sim-');
  const read = usage.hitTokens;
  const write = Math.max(0, usage.lastBoundaryTokens - read);
  const inputTokens = usage.promptTokens - read - write;
  const usageValue = {
    inputTokens,
    outputTokens: plan.completionTokens,
    totalTokens: inputTokens + plan.completionTokens + read + write,
    cacheReadInputTokens: read,
    cacheWriteInputTokens: write,
  };
  const stopReason = STOP_REASONS[plan.finish];
  const toolCall = plan.toolCall;
  const toolUseId = toolCall ? toolCall.id : '';

  return {
    unaryHeaders: { 'content-type': 'application/json', 'x-amzn-requestid': requestId },
    unary: () =>
      JSON.stringify({
        output: {
          message: {
            role: 'assistant',
            content: toolCall
              ? [
                  {
                    toolUse: {
                      toolUseId,
                      name: toolCall.name,
                      input: toolInput(toolCall.fragments.join('')),
                    },
                  },
                ]
              : [{ text: plan.content.join('') }],
          },
        },
        stopReason,
        usage: usageValue,
        metrics: { latencyMs: Math.max(context.plannedLatencyMs, Date.now() - context.startedAt) },
      }),
    streamHeaders: {
      'content-type': EVENT_STREAM_CONTENT_TYPE,
      'x-amzn-requestid': requestId,
    },
    stream: () => {
      const start = eventStreamEvent('messageStart', { role: 'assistant' });
      const frames: Uint8Array[] = toolCall
        ? toolCall.fragments.map((input) =>
            eventStreamEvent('contentBlockDelta', {
              delta: { toolUse: { input } },
              contentBlockIndex: 0,
            }),
          )
        : plan.content.map((text) =>
            eventStreamEvent('contentBlockDelta', { delta: { text }, contentBlockIndex: 0 }),
          );
      // Text blocks start with their first delta; a tool-use block is announced first.
      const preamble = toolCall
        ? Buffer.concat([
            start,
            eventStreamEvent('contentBlockStart', {
              start: { toolUse: { toolUseId, name: toolCall.name } },
              contentBlockIndex: 0,
            }),
          ])
        : start;
      const first = frames[0];
      if (first === undefined) frames.push(preamble);
      else frames[0] = Buffer.concat([preamble, first]);
      const tail = Buffer.concat([
        eventStreamEvent('contentBlockStop', { contentBlockIndex: 0 }),
        eventStreamEvent('messageStop', { stopReason }),
        eventStreamEvent('metadata', {
          usage: usageValue,
          metrics: { latencyMs: context.plannedLatencyMs },
        }),
      ]);
      return { frames, tail };
    },
  };
};
