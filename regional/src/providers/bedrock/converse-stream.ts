import type { ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import type { ChatCompletionChunk, ChunkDelta, FinishReason, Usage } from '@switchback/router-core';
import { answerOf, toFinishReason, toUsage } from './from-converse.ts';

export type ChunkMeta = { id: string; model: string; created: number };

/** The first in-stream exception of an event, as a status-like name for error mapping. */
export const streamException = (
  event: ConverseStreamOutput,
): { name: string; message: string } | undefined => {
  const entries: [string, { message?: string | undefined } | undefined][] = [
    ['InternalServerException', event.internalServerException],
    ['ModelStreamErrorException', event.modelStreamErrorException],
    ['ServiceUnavailableException', event.serviceUnavailableException],
    ['ThrottlingException', event.throttlingException],
    ['ValidationException', event.validationException],
  ];
  for (const [name, value] of entries) {
    if (value) return { name, message: value.message ?? name };
  }
  return undefined;
};

/**
 * ConverseStream events as OpenAI chunks, tool calls shaped the way the openai SDK's stream
 * helpers reassemble them: the first delta of a call carries its id, type and name, later ones
 * argument fragments under the same `index` (counted over tool calls, not content blocks).
 */
export async function* converseChunks(
  events: AsyncIterable<ConverseStreamOutput>,
  meta: ChunkMeta,
  onException: (exception: { name: string; message: string }) => never,
  /** The forced tool carrying `response_format`: its input streams as the content. */
  answerTool?: string,
): AsyncGenerator<ChatCompletionChunk> {
  const chunk = (
    delta: ChunkDelta | undefined,
    finish: FinishReason | null = null,
    usage?: Usage,
  ): ChatCompletionChunk => ({
    id: meta.id,
    object: 'chat.completion.chunk',
    created: meta.created,
    model: meta.model,
    choices: delta === undefined ? [] : [{ index: 0, delta, finish_reason: finish }],
    ...(usage === undefined ? {} : { usage }),
  });
  const toolIndex = new Map<number, number>();
  /** Content blocks that are the answer tool's input. */
  const answerBlocks = new Set<number>();

  for await (const event of events) {
    const exception = streamException(event);
    if (exception) onException(exception);
    if (event.messageStart) {
      yield chunk({ role: 'assistant', content: '' });
    } else if (
      event.contentBlockStart?.start?.toolUse &&
      answerTool !== undefined &&
      event.contentBlockStart.start.toolUse.name === answerTool
    ) {
      answerBlocks.add(event.contentBlockStart.contentBlockIndex ?? 0);
    } else if (event.contentBlockStart?.start?.toolUse) {
      const { toolUseId, name } = event.contentBlockStart.start.toolUse;
      const index = toolIndex.size;
      toolIndex.set(event.contentBlockStart.contentBlockIndex ?? index, index);
      yield chunk({
        tool_calls: [
          {
            index,
            id: toolUseId ?? '',
            type: 'function',
            function: { name: name ?? '', arguments: '' },
          },
        ],
      });
    } else if (event.contentBlockDelta?.delta) {
      const { delta, contentBlockIndex } = event.contentBlockDelta;
      if (delta.text !== undefined) {
        yield chunk({ content: delta.text });
      } else if (delta.toolUse && answerBlocks.has(contentBlockIndex ?? 0)) {
        yield chunk({ content: delta.toolUse.input ?? '' });
      } else if (delta.toolUse) {
        const index = toolIndex.get(contentBlockIndex ?? -1) ?? Math.max(0, toolIndex.size - 1);
        yield chunk({
          tool_calls: [{ index, function: { arguments: delta.toolUse.input ?? '' } }],
        });
      } else if (delta.reasoningContent?.text !== undefined) {
        yield chunk({ reasoning_content: delta.reasoningContent.text });
      }
    } else if (event.messageStop) {
      const finish = toFinishReason(event.messageStop.stopReason);
      yield chunk({}, answerOf(finish, answerTool, [...toolIndex.keys()]));
    } else if (event.metadata) {
      const usage = toUsage(event.metadata.usage);
      if (usage) yield chunk(undefined, null, usage);
    }
  }
}
