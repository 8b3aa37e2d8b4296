import type { Target } from '../targets.ts';
import type { ChatInput } from './chat-input.ts';
import { newId } from './ids.ts';
import { jsonTokens, replyWords, textTokens } from './reply-words.ts';
import { summaryWords } from './summary-reply.ts';
import { sampleArguments } from './tool-args.ts';

export const FINISH_REASONS = ['stop', 'tool_calls', 'length'] as const;
export type FinishReason = (typeof FINISH_REASONS)[number];

/** Tool-call arguments are streamed in fragments of this many characters, one token each. */
export const ARGUMENT_FRAGMENT_CHARS = 4;

export interface PlannedToolCall {
  id: string;
  name: string;
  /** The argument fragments in order; joined they are the arguments JSON (unless truncated). */
  fragments: string[];
}

/** What the simulated model answers, before any wire format. */
export interface ReplyPlan {
  /** Leading reasoning tokens (Workers AI's large models). */
  reasoning: string[];
  /** Text tokens; joined they are the content. Empty for a tool call. */
  content: string[];
  toolCall: PlannedToolCall | undefined;
  finish: FinishReason;
  completionTokens: number;
}

const fragment = (text: string): string[] => {
  const fragments: string[] = [];
  for (let i = 0; i < text.length; i += ARGUMENT_FRAGMENT_CHARS) {
    fragments.push(text.slice(i, i + ARGUMENT_FRAGMENT_CHARS));
  }
  return fragments;
};

export interface PlanOptions {
  target: Target;
  /** Words of a text answer. */
  words: number;
  /** Reasoning tokens to lead with. */
  reasoning?: readonly string[];
  /** Prefix of the tool call id (`call_`, `tooluse_`). */
  toolCallIdPrefix?: string;
}

/** Plans the answer; `maxTokens` cuts reasoning first, then content, and finishes `length`. */
export const planReply = (input: ChatInput, options: PlanOptions): ReplyPlan => {
  let budget = input.maxTokens ?? Number.POSITIVE_INFINITY;
  let truncated = false;
  const take = <T>(items: readonly T[]): T[] => {
    if (items.length <= budget) {
      budget -= items.length;
      return [...items];
    }
    truncated = true;
    const kept = items.slice(0, Math.max(0, budget));
    budget = 0;
    return kept;
  };

  const reasoning = take(options.reasoning ?? []);
  let content: string[] = [];
  let toolCall: PlannedToolCall | undefined;
  if (input.tool) {
    const args = JSON.stringify(sampleArguments(input.tool.parameters));
    toolCall = {
      id: newId(options.toolCallIdPrefix ?? 'call_'),
      name: input.tool.name,
      fragments: take(fragment(args)),
    };
  } else {
    const words = input.summary
      ? summaryWords(input.lastText)
      : replyWords(options.target, input.model, input.lastText, options.words);
    content = take(input.jsonMode ? jsonTokens(words) : textTokens(words));
  }
  const finish: FinishReason = truncated ? 'length' : toolCall ? 'tool_calls' : 'stop';
  const completionTokens = reasoning.length + content.length + (toolCall?.fragments.length ?? 0);
  return { reasoning, content, toolCall, finish, completionTokens };
};
