import type { PromptSegment } from '../state/prefix-cache.ts';

/** The function a simulated model decides to call. */
export interface ToolTarget {
  name: string;
  /** JSON Schema of the arguments. */
  parameters: unknown;
}

/** A chat request reduced to what the simulator needs, whichever wire format it came in. */
export interface ChatInput {
  model: string;
  stream: boolean;
  /** OpenAI `stream_options.include_usage`. */
  includeUsage: boolean;
  /** Text of the last message; seeds the answer's words. */
  lastText: string;
  /** The prompt in reading order; sizes the usage and keys the prefix cache. */
  segments: PromptSegment[];
  /** Extra cache scope (`prompt_cache_key`, session affinity); null disables caching. */
  cacheScope: string | null;
  maxTokens: number | undefined;
  jsonMode: boolean;
  /**
   * OpenAI `logprobs: true`: how many `top_logprobs` per token (0 for none). Absent when not asked
   * (and on formats that have no logprobs).
   */
  logprobs?: number;
  /** The router asks for a checkpoint summary: the answer is `summaryWords` of `lastText`. */
  summary?: boolean;
  /** Set when the model should answer with a tool call instead of text. */
  tool: ToolTarget | undefined;
}

export type ParseResult = { ok: true; input: ChatInput } | { ok: false; error: string };
