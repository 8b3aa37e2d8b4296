import type {
  ContentBlock,
  ConverseStreamRequest,
  InferenceConfiguration,
  Message,
  SystemContentBlock,
  Tool,
  ToolChoice,
  ToolConfiguration,
} from '@aws-sdk/client-bedrock-runtime';
import {
  type ChatMessage,
  type PrefixHint,
  type ProviderRequest,
  UpstreamError,
} from '@switchback/router-core';
import { imageFromDataUrl } from './data-url.ts';

/** Bedrock caches nothing shorter than this (Claude's minimum per cache checkpoint). */
export const BEDROCK_CACHE_MIN_TOKENS = 1024;

type JsonDocument = NonNullable<ContentBlock.ToolUseMember['toolUse']['input']>;

// The SDK types JSON documents precisely; a JSON round trip is what makes an `unknown` one.
const asDocument = (value: unknown): JsonDocument => JSON.parse(JSON.stringify(value ?? {}));

type TextContent = string | { type: 'text'; text: string }[];

const textOf = (content: TextContent | null | undefined): string =>
  typeof content === 'string' ? content : (content ?? []).map((part) => part.text).join('');

const parseArguments = (providerId: string, args: string): JsonDocument => {
  try {
    return args.trim() === '' ? {} : JSON.parse(args);
  } catch (cause) {
    throw new UpstreamError(
      'client',
      providerId,
      'A tool call in the conversation has arguments that are not JSON.',
      { cause },
    );
  }
};

const userBlocks = (
  providerId: string,
  message: Extract<ChatMessage, { role: 'user' }>,
): ContentBlock[] => {
  if (typeof message.content === 'string') return [{ text: message.content }];
  return message.content.map((part): ContentBlock => {
    if (part.type === 'text') return { text: part.text };
    const image = imageFromDataUrl(part.image_url.url);
    if (!image) {
      // Not the client's fault: another provider may fetch URLs, so the runner fails over.
      throw new UpstreamError(
        'client',
        providerId,
        'Bedrock takes images only as base64 data URLs (png, jpeg, gif, webp).',
      );
    }
    return { image: { format: image.format, source: { bytes: image.bytes } } };
  });
};

const assistantBlocks = (
  providerId: string,
  message: Extract<ChatMessage, { role: 'assistant' }>,
): ContentBlock[] => {
  const blocks: ContentBlock[] = [];
  const text = textOf(message.content);
  // Bedrock rejects blank text blocks.
  if (text.trim() !== '') blocks.push({ text });
  for (const call of message.tool_calls ?? []) {
    blocks.push({
      toolUse: {
        toolUseId: call.id,
        name: call.function.name,
        input: parseArguments(providerId, call.function.arguments),
      },
    });
  }
  return blocks;
};

/** Bedrock wants alternating turns: consecutive same-role turns (tool results, say) are merged. */
const pushTurn = (
  messages: Message[],
  role: 'user' | 'assistant',
  content: ContentBlock[],
): void => {
  if (content.length === 0) return;
  const last = messages.at(-1);
  if (last?.role === role) last.content = [...(last.content ?? []), ...content];
  else messages.push({ role, content });
};

/** The one tool a structured answer is forced through. */
export type AnswerTool = { name: string; description?: string; schema: Record<string, unknown> };

/**
 * `response_format` the way Bedrock does structured output: one tool whose input schema is the
 * answer's, forced with `toolChoice`; its input becomes the message content (from-converse.ts).
 * `json_object` forces any JSON object. Undefined for plain text.
 */
export const answerToolOf = (request: ProviderRequest): AnswerTool | undefined => {
  const format = request.response_format;
  if (format === undefined || format.type === 'text') return undefined;
  if (format.type === 'json_object') {
    return {
      name: 'json_answer',
      description: 'Answer with a JSON object.',
      schema: { type: 'object' },
    };
  }
  const { name, description, schema } = format.json_schema;
  return {
    name,
    ...(description === undefined ? {} : { description }),
    schema: schema ?? { type: 'object' },
  };
};

const answerToolConfig = (
  providerId: string,
  request: ProviderRequest,
  tool: AnswerTool,
  cache: boolean,
): ToolConfiguration => {
  if (request.tools !== undefined && request.tools.length > 0) {
    // The forced answer tool would leave the model no way to call the client's own tools.
    throw new UpstreamError(
      'client',
      providerId,
      'Bedrock cannot combine tools with response_format: structured output there is itself a forced tool call.',
    );
  }
  const tools: Tool[] = [
    {
      toolSpec: {
        name: tool.name,
        ...(tool.description === undefined ? {} : { description: tool.description }),
        inputSchema: { json: asDocument(tool.schema) },
      },
    },
  ];
  if (cache) tools.push({ cachePoint: { type: 'default' } });
  return { tools, toolChoice: { tool: { name: tool.name } } };
};

const toolConfigOf = (request: ProviderRequest, cache: boolean): ToolConfiguration | undefined => {
  if (!request.tools || request.tools.length === 0) return undefined;
  const tools: Tool[] = request.tools.map((tool) => ({
    toolSpec: {
      name: tool.function.name,
      ...(tool.function.description === undefined
        ? {}
        : { description: tool.function.description }),
      inputSchema: {
        json: asDocument(tool.function.parameters ?? { type: 'object', properties: {} }),
      },
    },
  }));
  if (cache) tools.push({ cachePoint: { type: 'default' } });
  const choice = request.tool_choice;
  let toolChoice: ToolChoice | undefined;
  if (choice === 'required') toolChoice = { any: {} };
  else if (choice === 'auto') toolChoice = { auto: {} };
  else if (typeof choice === 'object') toolChoice = { tool: { name: choice.function.name } };
  // `none` has no Converse equivalent; the tools stay declared because earlier turns may use them.
  return toolChoice ? { tools, toolChoice } : { tools };
};

/**
 * An OpenAI chat request as a Converse / ConverseStream request: system prompts, tools and tool
 * results, images (data URLs), inference settings, `response_format` as a forced answer tool, and
 * a `cachePoint` after system and tools when the prefix hint says the stable head is long enough
 * to be cached.
 */
export const toConverse = (
  providerId: string,
  request: ProviderRequest,
  prefix: PrefixHint | undefined,
): ConverseStreamRequest => {
  const cache = prefix !== undefined && prefix.tokens >= BEDROCK_CACHE_MIN_TOKENS;
  const system: SystemContentBlock[] = [];
  const messages: Message[] = [];
  for (const message of request.messages) {
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push({ text: textOf(message.content) });
        break;
      case 'user':
        pushTurn(messages, 'user', userBlocks(providerId, message));
        break;
      case 'assistant':
        pushTurn(messages, 'assistant', assistantBlocks(providerId, message));
        break;
      case 'tool':
        pushTurn(messages, 'user', [
          {
            toolResult: {
              toolUseId: message.tool_call_id,
              content: [{ text: textOf(message.content) }],
            },
          },
        ]);
        break;
    }
  }
  if (cache && system.length > 0) system.push({ cachePoint: { type: 'default' } });

  const inferenceConfig: InferenceConfiguration = {};
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxTokens != null) inferenceConfig.maxTokens = maxTokens;
  if (request.temperature != null) inferenceConfig.temperature = request.temperature;
  if (request.top_p != null) inferenceConfig.topP = request.top_p;
  if (request.stop != null)
    inferenceConfig.stopSequences =
      typeof request.stop === 'string' ? [request.stop] : request.stop;

  const answerTool = answerToolOf(request);
  const toolConfig = answerTool
    ? answerToolConfig(providerId, request, answerTool, cache)
    : toolConfigOf(request, cache);
  return {
    modelId: request.model,
    messages,
    ...(system.length > 0 ? { system } : {}),
    ...(Object.keys(inferenceConfig).length > 0 ? { inferenceConfig } : {}),
    ...(toolConfig ? { toolConfig } : {}),
  };
};
