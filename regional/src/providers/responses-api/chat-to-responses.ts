import type { ChatMessage, ProviderRequest } from '@switchback/router-core';

type Part = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

const textOf = (content: string | { text: string }[] | null | undefined): string =>
  typeof content === 'string' ? content : (content ?? []).map((part) => part.text).join('');

/** A user message's parts as Responses input parts (`input_text`, `input_image`). */
const inputParts = (content: string | Part[]) =>
  typeof content === 'string'
    ? content
    : content.map((part) =>
        part.type === 'text'
          ? { type: 'input_text', text: part.text }
          : {
              type: 'input_image',
              image_url: part.image_url.url,
              detail: (part.image_url as { detail?: string }).detail ?? 'auto',
            },
      );

/** One chat message as Responses input items: a message, or an assistant's function calls. */
const inputItems = (message: ChatMessage): Record<string, unknown>[] => {
  switch (message.role) {
    case 'system':
    case 'developer':
      return [{ type: 'message', role: message.role, content: textOf(message.content) }];
    case 'user':
      return [{ type: 'message', role: 'user', content: inputParts(message.content) }];
    case 'assistant': {
      const text = textOf(message.content);
      return [
        ...(text === '' ? [] : [{ type: 'message', role: 'assistant', content: text }]),
        ...(message.tool_calls ?? []).map((call) => ({
          type: 'function_call',
          call_id: call.id,
          name: call.function.name,
          arguments: call.function.arguments,
        })),
      ];
    }
    case 'tool':
      return [
        {
          type: 'function_call_output',
          call_id: message.tool_call_id,
          output: textOf(message.content),
        },
      ];
  }
};

const textFormat = (format: ProviderRequest['response_format']) => {
  if (format === undefined) return undefined;
  if (format.type !== 'json_schema') return { format: { type: format.type } };
  const { name, description, schema, strict } = format.json_schema;
  return {
    format: {
      type: 'json_schema',
      name,
      ...(description === undefined ? {} : { description }),
      schema: schema ?? {},
      strict: strict ?? false,
    },
  };
};

const toolChoice = (choice: ProviderRequest['tool_choice']) =>
  choice === undefined || typeof choice === 'string'
    ? choice
    : { type: 'function', name: choice.function.name };

/** Drops the keys whose value is undefined (or null: the Responses API's defaults apply). */
const defined = (body: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(body).filter(([, value]) => value !== undefined && value !== null),
  );

/**
 * The chat request as an OpenAI `POST /v1/responses` body: messages as input items (function
 * calls and their outputs as their own items), flat function tools (`strict` as chat's default,
 * off), `response_format` as `text.format`, the completion limit as `max_output_tokens`,
 * `reasoning_effort` as `reasoning.effort`, `logprobs` as the `include` of the text's logprobs;
 * `store: false` (the router keeps what is kept). Chat fields the Responses API has no place
 * for (`stop`, penalties, `logit_bias`, `seed`) are not sent.
 */
export const responsesBody = (request: ProviderRequest, stream: boolean): Record<string, unknown> =>
  defined({
    model: request.model,
    input: request.messages.flatMap(inputItems),
    stream,
    store: false,
    max_output_tokens: request.max_completion_tokens ?? request.max_tokens,
    temperature: request.temperature,
    top_p: request.top_p,
    tools: request.tools?.map((tool) =>
      defined({
        type: 'function',
        name: tool.function.name,
        description: tool.function.description,
        parameters: tool.function.parameters ?? { type: 'object', properties: {} },
        strict: tool.function.strict ?? false,
      }),
    ),
    tool_choice: toolChoice(request.tool_choice),
    parallel_tool_calls: request.parallel_tool_calls,
    text: textFormat(request.response_format),
    prompt_cache_key: request.prompt_cache_key,
    // Chat's `logprobs: true` is the Responses API's `include` of the text's logprobs.
    include: request.logprobs === true ? ['message.output_text.logprobs'] : undefined,
    top_logprobs: request.logprobs === true ? (request.top_logprobs ?? 0) : undefined,
    reasoning: request.reasoning_effort ? { effort: request.reasoning_effort } : undefined,
    metadata: request.metadata,
    service_tier: request.service_tier,
    user: request.user,
  });
