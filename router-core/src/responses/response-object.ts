import type { ChoiceLogprobs, FinishReason, Usage } from '../openai/chat-response.ts';
import type { ResponsesRequest, ResponsesTool } from './responses-request.ts';

/** `resp_`, `msg_`, `fc_` (`fco_` for a call's output) ids as OpenAI mints them: a prefix and 32 hex digits. */
export const newId = (prefix: 'resp' | 'msg' | 'fc' | 'fco'): string =>
  `${prefix}_${crypto.randomUUID().replaceAll('-', '')}`;

export type ResponseStatus =
  | 'queued'
  | 'in_progress'
  | 'completed'
  | 'incomplete'
  | 'failed'
  | 'cancelled';
type ItemStatus = 'in_progress' | 'completed' | 'incomplete';

export type OutputLogprob = {
  token: string;
  logprob: number;
  bytes: number[] | null;
  top_logprobs: { token: string; logprob: number; bytes: number[] | null }[];
};
export type OutputText = {
  type: 'output_text';
  text: string;
  annotations: [];
  logprobs?: OutputLogprob[];
};
export type OutputRefusal = { type: 'refusal'; refusal: string };

export type OutputMessage = {
  id: string;
  type: 'message';
  status: ItemStatus;
  role: 'assistant';
  content: (OutputText | OutputRefusal)[];
};
export type OutputFunctionCall = {
  id: string;
  type: 'function_call';
  status: ItemStatus;
  call_id: string;
  name: string;
  arguments: string;
};
export type OutputItem = OutputMessage | OutputFunctionCall;

export type ResponseUsage = {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
};

export type ResponseErrorInfo = { code: string; message: string };

/** OpenAI's Response object, as far as the router fills it. */
export type ResponseObject = {
  id: string;
  object: 'response';
  created_at: number;
  status: ResponseStatus;
  background: boolean;
  error: ResponseErrorInfo | null;
  incomplete_details: { reason: 'max_output_tokens' | 'content_filter' } | null;
  instructions: string | null;
  max_output_tokens: number | null;
  metadata: Record<string, string>;
  model: string;
  output: OutputItem[];
  parallel_tool_calls: boolean;
  previous_response_id: string | null;
  store: boolean;
  temperature: number | null;
  text: { format: NonNullable<NonNullable<ResponsesRequest['text']>['format']> };
  tool_choice: NonNullable<ResponsesRequest['tool_choice']>;
  tools: (ResponsesTool & { strict: boolean | null; parameters: unknown })[];
  top_p: number | null;
  truncation: 'disabled';
  usage: ResponseUsage | null;
  user: string | null;
};

/** Chat usage in the Responses shape: `input_tokens`, cached tokens always present. */
export const responseUsage = (usage: Usage): ResponseUsage => ({
  input_tokens: usage.prompt_tokens,
  input_tokens_details: { cached_tokens: usage.prompt_tokens_details?.cached_tokens ?? 0 },
  output_tokens: usage.completion_tokens,
  output_tokens_details: {
    reasoning_tokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
  },
  total_tokens: usage.total_tokens,
});

/** Chat's per-token logprobs as `output_text.logprobs`. */
export const outputLogprobs = (logprobs: ChoiceLogprobs | null | undefined): OutputLogprob[] =>
  (logprobs?.content ?? []).map((t) => ({
    token: t.token,
    logprob: t.logprob,
    bytes: t.bytes,
    top_logprobs: t.top_logprobs,
  }));

/** A finish reason as the response's status and `incomplete_details`. */
export const statusOf = (
  finish: FinishReason | null,
): Pick<ResponseObject, 'status' | 'incomplete_details'> => {
  if (finish === 'length') {
    return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
  }
  if (finish === 'content_filter') {
    return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } };
  }
  return { status: 'completed', incomplete_details: null };
};

/** What a response says of its request, before any output: what `response.created` carries. */
export const responseShell = (
  request: ResponsesRequest,
  id: string,
  createdAt: number,
): ResponseObject => ({
  id,
  object: 'response',
  created_at: createdAt,
  status: 'in_progress',
  background: request.background ?? false,
  error: null,
  incomplete_details: null,
  instructions: request.instructions ?? null,
  max_output_tokens: request.max_output_tokens ?? null,
  metadata: request.metadata ?? {},
  model: request.model,
  output: [],
  parallel_tool_calls: request.parallel_tool_calls ?? true,
  previous_response_id: request.previous_response_id ?? null,
  store: request.store ?? true,
  temperature: request.temperature ?? null,
  text: { format: request.text?.format ?? { type: 'text' } },
  tool_choice: request.tool_choice ?? 'auto',
  tools: (request.tools ?? []).map((tool) => ({
    ...tool,
    parameters: tool.parameters ?? null,
    strict: tool.strict ?? null,
  })),
  top_p: request.top_p ?? null,
  truncation: 'disabled',
  usage: null,
  user: request.user ?? null,
});
