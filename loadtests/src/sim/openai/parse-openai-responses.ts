import type { ParseResult } from '../chat/chat-input.ts';
import { parseOpenAiChat } from './parse-openai-chat.ts';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

class Invalid extends Error {}

/** A Responses message's content as chat content: text parts as `text`, images as `image_url`. */
const chatContent = (content: unknown): unknown => {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) throw new Invalid("Invalid 'input': a message needs content.");
  return content.map((part) => {
    if (!isRecord(part)) return part;
    if (part.type === 'input_text' || part.type === 'output_text') {
      return { type: 'text', text: part.text };
    }
    if (part.type === 'input_image')
      return { type: 'image_url', image_url: { url: part.image_url } };
    return part;
  });
};

/** Responses `input` items as chat messages (messages, function calls and their outputs). */
const chatMessages = (input: unknown): unknown[] => {
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  if (!Array.isArray(input) || input.length === 0) {
    throw new Invalid("Invalid 'input': expected a string or a non-empty array of items.");
  }
  return input.map((item, i) => {
    if (!isRecord(item)) throw new Invalid(`Invalid 'input[${i}]': expected an object.`);
    if (item.type === 'function_call') {
      return {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: item.call_id,
            type: 'function',
            function: { name: item.name, arguments: item.arguments },
          },
        ],
      };
    }
    if (item.type === 'function_call_output') {
      return { role: 'tool', tool_call_id: item.call_id, content: item.output };
    }
    if (item.type === undefined || item.type === 'message') {
      return { role: item.role, content: chatContent(item.content) };
    }
    throw new Invalid(`Invalid 'input[${i}].type': '${String(item.type)}' is not supported.`);
  });
};

/** Responses' flat function tools (`{type, name, parameters}`) as chat tools. */
const chatTools = (tools: unknown): unknown =>
  Array.isArray(tools)
    ? tools.map((tool) =>
        isRecord(tool) && tool.type === 'function'
          ? { type: 'function', function: { name: tool.name, parameters: tool.parameters } }
          : tool,
      )
    : tools;

const chatToolChoice = (choice: unknown): unknown =>
  isRecord(choice) && choice.type === 'function'
    ? { type: 'function', function: { name: choice.name } }
    : choice;

/**
 * Validates an OpenAI `POST /v1/responses` body and reduces it to a ChatInput, as the chat
 * request it amounts to (`instructions` a system message first, `max_output_tokens` the
 * completion limit, `text.format` the response format, `include: ["message.output_text.logprobs"]`
 * with `top_logprobs` the logprobs); `prompt_cache_key` scopes the cache.
 */
export const parseOpenAiResponses = (body: unknown): ParseResult => {
  try {
    if (!isRecord(body)) throw new Invalid('The request body must be a JSON object.');
    const instructions =
      typeof body.instructions === 'string' ? [{ role: 'system', content: body.instructions }] : [];
    const text = isRecord(body.text) ? body.text : {};
    // Logprobs come only when `include` asks for them, `top_logprobs` alternatives each.
    const logprobs =
      Array.isArray(body.include) && body.include.includes('message.output_text.logprobs');
    const chat = {
      model: body.model,
      messages: [...instructions, ...chatMessages(body.input)],
      stream: body.stream,
      tools: chatTools(body.tools),
      tool_choice: chatToolChoice(body.tool_choice),
      max_completion_tokens: body.max_output_tokens,
      response_format: text.format,
      prompt_cache_key: body.prompt_cache_key,
      ...(logprobs ? { logprobs: true, top_logprobs: body.top_logprobs ?? 0 } : {}),
    };
    return parseOpenAiChat(chat, {
      acceptMaxTokens: false,
      cacheScope: (b) =>
        typeof b.prompt_cache_key === 'string' ? `key:${b.prompt_cache_key}` : '',
    });
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, error: error.message };
    throw error;
  }
};
