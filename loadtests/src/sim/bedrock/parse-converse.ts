import type { ChatInput, ParseResult, ToolTarget } from '../chat/chat-input.ts';
import {
  IMAGE_TOKENS,
  MESSAGE_OVERHEAD_TOKENS,
  tokensForChars,
  tokensForValue,
} from '../chat/estimate-tokens.ts';
import type { PromptSegment } from '../state/prefix-cache.ts';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

class Invalid extends Error {}

/** A content block's tokens; a `cachePoint` is free and ends a cacheable prefix. */
const blockSegment = (block: Record<string, unknown>): PromptSegment => {
  if ('cachePoint' in block) return { tokens: 0, value: block, boundary: true };
  if (typeof block.text === 'string') {
    return { tokens: tokensForChars(block.text.length), value: block, boundary: false };
  }
  if ('image' in block) return { tokens: IMAGE_TOKENS, value: 'image', boundary: false };
  if (isRecord(block.toolResult)) {
    return { tokens: tokensForValue(block.toolResult.content), value: block, boundary: false };
  }
  return { tokens: tokensForValue(block), value: block, boundary: false };
};

/** The text a follow-up is about: text blocks, and the text or JSON of tool results. */
const textOf = (content: readonly Record<string, unknown>[]): string => {
  let text = '';
  for (const block of content) {
    if (typeof block.text === 'string') text += block.text;
    if (isRecord(block.toolResult) && Array.isArray(block.toolResult.content)) {
      for (const part of block.toolResult.content) {
        if (!isRecord(part)) continue;
        if (typeof part.text === 'string') text += part.text;
        else if (part.json !== undefined) text += JSON.stringify(part.json);
      }
    }
  }
  return text;
};

const blocks = (value: unknown, where: string): Record<string, unknown>[] => {
  if (!Array.isArray(value) || !value.every(isRecord)) {
    throw new Invalid(`${where} must be a list of content blocks`);
  }
  return value;
};

const parseTools = (toolConfig: unknown, segments: PromptSegment[]): ToolTarget[] => {
  if (toolConfig === undefined) return [];
  if (!isRecord(toolConfig)) throw new Invalid('toolConfig must be an object');
  const tools: ToolTarget[] = [];
  for (const entry of blocks(toolConfig.tools, 'toolConfig.tools')) {
    if ('cachePoint' in entry) {
      segments.push({ tokens: 0, value: entry, boundary: true });
      continue;
    }
    const spec = entry.toolSpec;
    if (!isRecord(spec) || typeof spec.name !== 'string' || spec.name === '') {
      throw new Invalid('toolConfig.tools[].toolSpec.name is required');
    }
    const schema = isRecord(spec.inputSchema) ? spec.inputSchema.json : undefined;
    tools.push({ name: spec.name, parameters: schema });
    segments.push({ tokens: tokensForValue(spec), value: entry, boundary: false });
  }
  return tools;
};

/**
 * Validates a Converse / ConverseStream body. The prompt is read as Bedrock does: tools, then
 * system, then messages; a `cachePoint` block anywhere marks where a cacheable prefix ends.
 */
export const parseConverse = (body: unknown, model: string, stream: boolean): ParseResult => {
  try {
    if (!isRecord(body)) throw new Invalid('The request body must be a JSON object');
    const segments: PromptSegment[] = [];
    const tools = parseTools(body.toolConfig, segments);
    if (body.system !== undefined) {
      for (const block of blocks(body.system, 'system')) segments.push(blockSegment(block));
    }
    const messages = body.messages;
    if (!Array.isArray(messages) || messages.length === 0) {
      throw new Invalid('messages must be a non-empty list');
    }
    let last: Record<string, unknown>[] = [];
    messages.forEach((message, i) => {
      if (!isRecord(message) || (message.role !== 'user' && message.role !== 'assistant')) {
        throw new Invalid(`messages.${i}.role must be user or assistant`);
      }
      last = blocks(message.content, `messages.${i}.content`);
      segments.push({ tokens: MESSAGE_OVERHEAD_TOKENS, value: message.role, boundary: false });
      for (const block of last) segments.push(blockSegment(block));
    });
    const inference = isRecord(body.inferenceConfig) ? body.inferenceConfig : {};
    const maxTokens = inference.maxTokens;
    if (
      maxTokens !== undefined &&
      (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1)
    ) {
      throw new Invalid('inferenceConfig.maxTokens must be a positive integer');
    }

    // Tools offered and the last turn is not a tool result: the model calls a tool.
    const answersToolResult = last.some((block) => 'toolResult' in block);
    const choice = isRecord(body.toolConfig) ? body.toolConfig.toolChoice : undefined;
    const named =
      isRecord(choice) && isRecord(choice.tool) && typeof choice.tool.name === 'string'
        ? choice.tool.name
        : undefined;
    const tool = answersToolResult ? undefined : (tools.find((t) => t.name === named) ?? tools[0]);

    const input: ChatInput = {
      model,
      stream,
      includeUsage: true,
      lastText: textOf(last),
      segments,
      cacheScope: '',
      maxTokens,
      jsonMode: false,
      tool,
    };
    return { ok: true, input };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, error: error.message };
    throw error;
  }
};
