import type { ChatCompletionRequest, ChatMessage, ChatTool } from '../openai/chat-request.ts';
import type { ResponseInputItem, ResponsesRequest, ResponsesTool } from './responses-request.ts';

type UserContent = Extract<ChatMessage, { role: 'user' }>['content'];
type AssistantMessage = Extract<ChatMessage, { role: 'assistant' }>;
type InputMessage = Extract<ResponseInputItem, { role: string }>;

const textOf = (parts: readonly { text: string }[]): string => parts.map((p) => p.text).join('');

const userContent = (content: Extract<InputMessage, { role: 'user' }>['content']): UserContent =>
  typeof content === 'string'
    ? content
    : content.map((part) =>
        part.type === 'input_text'
          ? { type: 'text', text: part.text }
          : {
              type: 'image_url',
              image_url: { url: part.image_url, ...(part.detail ? { detail: part.detail } : {}) },
            },
      );

const assistantMessage = (
  content: Extract<InputMessage, { role: 'assistant' }>['content'],
): AssistantMessage => {
  if (typeof content === 'string') return { role: 'assistant', content };
  const text = content.flatMap((p) => (p.type === 'output_text' ? [p.text] : []));
  const refused = content.flatMap((p) => (p.type === 'refusal' ? [p.refusal] : []));
  return {
    role: 'assistant',
    content: text.length > 0 ? text.join('') : null,
    ...(refused.length > 0 ? { refusal: refused.join('') } : {}),
  };
};

const messageOf = (item: InputMessage): ChatMessage => {
  switch (item.role) {
    case 'user':
      return { role: 'user', content: userContent(item.content) };
    case 'system':
    case 'developer':
      return {
        role: item.role,
        content: typeof item.content === 'string' ? item.content : textOf(item.content),
      };
    case 'assistant':
      return assistantMessage(item.content);
  }
};

/**
 * Input items as chat messages: messages one for one, a run of `function_call` items as the
 * tool calls of one assistant message (the one just before them when it has none yet), each
 * `function_call_output` a `tool` message.
 */
export const chatMessagesOf = (input: ResponsesRequest['input']): ChatMessage[] => {
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  const out: ChatMessage[] = [];
  for (const item of input) {
    if ('role' in item) {
      out.push(messageOf(item));
      continue;
    }
    if (item.type === 'function_call_output') {
      const content = typeof item.output === 'string' ? item.output : textOf(item.output);
      out.push({ role: 'tool', tool_call_id: item.call_id, content });
      continue;
    }
    const call = {
      id: item.call_id,
      type: 'function' as const,
      function: { name: item.name, arguments: item.arguments },
    };
    const last = out.at(-1);
    if (last?.role === 'assistant') last.tool_calls = [...(last.tool_calls ?? []), call];
    else out.push({ role: 'assistant', content: null, tool_calls: [call] });
  }
  return out;
};

const chatTool = (tool: ResponsesTool): ChatTool => ({
  type: 'function',
  function: {
    name: tool.name,
    ...(tool.description == null ? {} : { description: tool.description }),
    ...(tool.parameters == null ? {} : { parameters: tool.parameters }),
    ...(tool.strict == null ? {} : { strict: tool.strict }),
  },
});

const responseFormat = (
  format: NonNullable<NonNullable<ResponsesRequest['text']>['format']>,
): NonNullable<ChatCompletionRequest['response_format']> => {
  if (format.type !== 'json_schema') return { type: format.type };
  const { name, schema, description, strict } = format;
  return {
    type: 'json_schema',
    json_schema: {
      name,
      schema,
      ...(description === undefined ? {} : { description }),
      ...(strict == null ? {} : { strict }),
    },
  };
};

/**
 * The chat-completions request a Responses request is served as, so it is routed, budgeted and
 * policed exactly like one: `instructions` first as a system message, then `history` (what a
 * `previous_response_id` carries over), then `input`. A stream always asks for usage (the
 * `response.completed` event carries it).
 */
export const toChatRequest = (
  request: ResponsesRequest,
  history: readonly ChatMessage[] = [],
): ChatCompletionRequest => {
  const messages: ChatMessage[] = [
    ...(request.instructions ? [{ role: 'system' as const, content: request.instructions }] : []),
    ...history,
    ...chatMessagesOf(request.input),
  ];
  const opt = <K extends keyof ChatCompletionRequest>(
    key: K,
    value: ChatCompletionRequest[K] | null | undefined,
  ): Partial<ChatCompletionRequest> => (value == null ? {} : { [key]: value });
  const choice = request.tool_choice;
  const format = request.text?.format;
  const logprobs =
    request.top_logprobs != null ||
    (request.include ?? []).includes('message.output_text.logprobs');
  return {
    model: request.model,
    messages,
    ...(request.stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    ...opt('max_completion_tokens', request.max_output_tokens),
    ...opt('temperature', request.temperature),
    ...opt('top_p', request.top_p),
    ...(logprobs ? { logprobs: true } : {}),
    ...opt('top_logprobs', request.top_logprobs),
    ...opt('user', request.user),
    ...opt('tools', request.tools?.map(chatTool)),
    ...opt(
      'tool_choice',
      typeof choice === 'object' ? { type: 'function', function: { name: choice.name } } : choice,
    ),
    ...opt('parallel_tool_calls', request.parallel_tool_calls),
    ...opt('response_format', format === undefined ? undefined : responseFormat(format)),
    ...opt('prompt_cache_key', request.prompt_cache_key),
    ...opt('reasoning_effort', request.reasoning?.effort),
    ...opt('service_tier', request.service_tier),
  };
};
