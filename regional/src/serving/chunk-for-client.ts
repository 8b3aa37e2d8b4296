import type { ChatCompletionChunk } from '@switchback/router-core';

/**
 * A chunk as this client asked for it. Usage is always requested upstream (for accounting); a
 * client that did not ask for `stream_options.include_usage` never sees it, so the usage-only
 * chunk is dropped (undefined) and `usage` stripped elsewhere.
 */
export const chunkForClient = (
  chunk: ChatCompletionChunk,
  includeUsage: boolean,
): ChatCompletionChunk | undefined => {
  if (includeUsage) return chunk.usage === undefined ? { ...chunk, usage: null } : chunk;
  if (chunk.choices.length === 0) return undefined;
  if (chunk.usage === undefined) return chunk;
  const { usage, ...rest } = chunk;
  return rest;
};
