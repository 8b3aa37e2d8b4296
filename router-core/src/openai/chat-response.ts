/** What providers answer, always in OpenAI's shapes: adapters map everything else into these. */

export type Usage = {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number };
  completion_tokens_details?: { reasoning_tokens?: number };
};

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

export type ToolCall = {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
};

export type AssistantMessage = {
  role: 'assistant';
  content: string | null;
  refusal?: string | null;
  reasoning_content?: string;
  tool_calls?: ToolCall[];
};

/** One token's log probability, with the most likely alternatives when `top_logprobs` asked. */
export type TopLogprob = { token: string; logprob: number; bytes: number[] | null };
export type TokenLogprob = TopLogprob & { top_logprobs: TopLogprob[] };

/** A choice's `logprobs` when the request asked for them: one entry per generated token. */
export type ChoiceLogprobs = {
  content: TokenLogprob[] | null;
  refusal?: TokenLogprob[] | null;
};

export type ChatCompletion = {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    message: AssistantMessage;
    finish_reason: FinishReason;
    logprobs: ChoiceLogprobs | null;
  }>;
  usage?: Usage;
  system_fingerprint?: string;
};

export type ToolCallDelta = {
  index: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
};

export type ChunkDelta = {
  role?: 'assistant';
  content?: string | null;
  reasoning_content?: string;
  refusal?: string | null;
  tool_calls?: ToolCallDelta[];
};

export type ChatCompletionChunk = {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    delta: ChunkDelta;
    finish_reason: FinishReason | null;
    logprobs?: ChoiceLogprobs | null;
  }>;
  usage?: Usage | null;
  system_fingerprint?: string;
};
