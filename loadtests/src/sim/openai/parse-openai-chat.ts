import type { ChatInput, ParseResult, ToolTarget } from '../chat/chat-input.ts';
import {
  IMAGE_TOKENS,
  MESSAGE_OVERHEAD_TOKENS,
  tokensForChars,
  tokensForValue,
} from '../chat/estimate-tokens.ts';
import type { PromptSegment } from '../state/prefix-cache.ts';

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);

export interface OpenAiParseOptions {
  /** The model from the path (Workers AI `run/<model>`); otherwise the body's `model`. */
  model?: string;
  /** False for models that only take `max_completion_tokens` (Kimi): `max_tokens` is ignored. */
  acceptMaxTokens: boolean;
  /** Workers AI `run/` also takes `prompt` instead of `messages`, and flat tool definitions. */
  workersAiRun?: boolean;
  /** The cache scope beyond target and model; null disables the prefix cache. */
  cacheScope: (body: Record<string, unknown>) => string | null;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

class Invalid extends Error {}

const positiveInt = (body: Record<string, unknown>, key: string): number | undefined => {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new Invalid(`Invalid '${key}': expected a positive integer.`);
  }
  return value;
};

/** Text and image count of a message's `content` (a string or an array of parts). */
const contentOf = (content: unknown): { text: string; images: number } => {
  if (typeof content === 'string') return { text: content, images: 0 };
  if (content === null || content === undefined) return { text: '', images: 0 };
  if (!Array.isArray(content)) throw new Invalid("Invalid 'content': expected a string or array.");
  let text = '';
  let images = 0;
  for (const part of content) {
    if (!isRecord(part)) continue;
    if (part.type === 'text' && typeof part.text === 'string') text += part.text;
    else if (part.type === 'image_url' || part.type === 'image') images++;
  }
  return { text, images };
};

const parseMessages = (
  raw: unknown,
): { segments: PromptSegment[]; lastText: string; lastRole: string } => {
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new Invalid("Invalid 'messages': expected a non-empty array.");
  }
  const segments: PromptSegment[] = [];
  let lastText = '';
  let lastRole = '';
  raw.forEach((message, i) => {
    if (!isRecord(message) || typeof message.role !== 'string' || !ROLES.has(message.role)) {
      throw new Invalid(`Invalid 'messages[${i}]': expected an object with a valid 'role'.`);
    }
    const { text, images } = contentOf(message.content);
    const tokens =
      MESSAGE_OVERHEAD_TOKENS +
      tokensForChars(text.length) +
      images * IMAGE_TOKENS +
      tokensForValue(message.tool_calls);
    segments.push({ tokens, value: message, boundary: true });
    lastText = text;
    lastRole = message.role;
  });
  return { segments, lastText, lastRole };
};

/** OpenAI `{type:'function', function:{name, parameters}}`, or Workers AI's flat `{name, parameters}`. */
const parseTools = (raw: unknown, allowFlat: boolean): ToolTarget[] => {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new Invalid("Invalid 'tools': expected an array.");
  return raw.map((tool, i) => {
    const fn = isRecord(tool) && isRecord(tool.function) ? tool.function : allowFlat ? tool : null;
    if (!isRecord(fn) || typeof fn.name !== 'string' || fn.name === '') {
      throw new Invalid(`Invalid 'tools[${i}]': expected a function with a 'name'.`);
    }
    return { name: fn.name, parameters: fn.parameters };
  });
};

/**
 * The model calls a tool when tools are offered, `tool_choice` is not "none" and the last
 * message is not a tool result: the named tool if `tool_choice` names one, else the first.
 */
const pickTool = (
  tools: ToolTarget[],
  choice: unknown,
  lastRole: string,
): ToolTarget | undefined => {
  if (tools.length === 0 || choice === 'none' || lastRole === 'tool' || lastRole === 'function') {
    return undefined;
  }
  const named =
    isRecord(choice) && isRecord(choice.function) && typeof choice.function.name === 'string'
      ? choice.function.name
      : undefined;
  return tools.find((tool) => tool.name === named) ?? tools[0];
};

/** Validates an OpenAI-format chat request and reduces it to a ChatInput. */
export const parseOpenAiChat = (body: unknown, options: OpenAiParseOptions): ParseResult => {
  try {
    if (!isRecord(body)) throw new Invalid('The request body must be a JSON object.');
    const model = options.model ?? body.model;
    if (typeof model !== 'string' || model === '') {
      throw new Invalid("Missing required parameter: 'model'.");
    }
    const rawMessages =
      options.workersAiRun && body.messages === undefined && typeof body.prompt === 'string'
        ? [{ role: 'user', content: body.prompt }]
        : body.messages;
    const { segments, lastText, lastRole } = parseMessages(rawMessages);
    const tools = parseTools(body.tools, options.workersAiRun === true);
    if (tools.length > 0)
      segments.unshift({ tokens: tokensForValue(body.tools), value: body.tools, boundary: false });

    if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') {
      throw new Invalid("Invalid 'stream': expected a boolean.");
    }
    const streamOptions = body.stream_options;
    const includeUsage = isRecord(streamOptions) && streamOptions.include_usage === true;
    const maxCompletion = positiveInt(body, 'max_completion_tokens');
    const maxTokens = positiveInt(body, 'max_tokens');
    const format = body.response_format;
    const jsonMode =
      isRecord(format) && (format.type === 'json_object' || format.type === 'json_schema');

    if (
      body.logprobs !== undefined &&
      body.logprobs !== null &&
      typeof body.logprobs !== 'boolean'
    ) {
      throw new Invalid("Invalid 'logprobs': expected a boolean.");
    }
    const top = body.top_logprobs;
    if (
      top !== undefined &&
      top !== null &&
      (typeof top !== 'number' || !Number.isInteger(top) || top < 0 || top > 20)
    ) {
      throw new Invalid("Invalid 'top_logprobs': expected an integer from 0 to 20.");
    }
    if (typeof top === 'number' && top > 0 && body.logprobs !== true) {
      throw new Invalid("Invalid 'top_logprobs': 'logprobs' must be set to true.");
    }

    const input: ChatInput = {
      model,
      stream: body.stream === true,
      includeUsage,
      lastText,
      segments,
      cacheScope: options.cacheScope(body),
      maxTokens: maxCompletion ?? (options.acceptMaxTokens ? maxTokens : undefined),
      jsonMode,
      tool: pickTool(tools, body.tool_choice, lastRole),
      ...(body.logprobs === true ? { logprobs: typeof top === 'number' ? top : 0 } : {}),
    };
    return { ok: true, input };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, error: error.message };
    throw error;
  }
};
