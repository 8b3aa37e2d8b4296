import type { RiskConfig } from '../config/schema.ts';
import type { ChatCompletionRequest, ChatMessage } from '../openai/chat-request.ts';
import {
  imageTokens,
  MESSAGE_OVERHEAD_TOKENS as MESSAGE_OVERHEAD_TOKENS_,
  REPLY_PRIMING_TOKENS,
} from './estimate-tokens.ts';
import { globAny } from './glob.ts';
import { readTexts } from './read-texts.ts';
import { TextList } from './text-list.ts';

/** The raw facts the classifier reads from a request, before weighting. */
export type RequestFeatures = {
  /**
   * Estimated prompt tokens: messages, tool definitions, images and framing. A long request's
   * context is read through windows and extrapolated, so a few per cent off (see `read-budget.ts`).
   */
  estimatedTokens: number;
  messages: number;
  userTurns: number;
  tools: number;
  /** Names of offered tools that match `risk.sideEffectTools`. */
  sideEffectTools: string[];
  toolChoiceRequired: boolean;
  images: number;
  /** `max_completion_tokens` or `max_tokens`, when set. */
  maxOutputTokens: number | undefined;
  responseFormat: 'text' | 'json_object' | 'json_schema';
  /**
   * Cue strengths, weighted by where they appear (the last user turn counts fully), each text's
   * incidental baseline taken off: a long pasted document does not read as a hard question.
   */
  reasoningCues: number;
  codeCues: number;
  mathCues: number;
  multiStepCues: number;
  simpleTaskCues: number;
  /** Weighted words: how much text the cues were found in. */
  weightedWords: number;
  /** Words in the last user turn (0 without one); extrapolated when it is long. */
  askWords: number;
  /** Share of letters outside the Latin script, in [0, 1]. */
  nonLatinShare: number;
  /**
   * Share of recognised function words that belong to another Latin-script language than
   * English (French, Spanish, Polish, …), in [0, 1].
   */
  foreignLatinShare: number;
  /** PII-looking spans found (emails, phone, card and social security numbers). */
  pii: number;
};

// Copied to a module constant: under Vite's module runner (vitest, bench) each use of an
// imported binding is a getter call, and this one is read once per message.
const MESSAGE_OVERHEAD_TOKENS = MESSAGE_OVERHEAD_TOKENS_;

// How much a cue counts by where it sits: the last user turn is the ask; the rest is context.
const LAST_USER_WEIGHT = 1;
const TOOL_WEIGHT = 0.15;
/**
 * A switch, not a lookup in an object by role: a double read by a key the optimiser cannot see is
 * boxed, one heap number per message.
 */
const roleWeight = (role: ChatMessage['role']): number => {
  switch (role) {
    case 'system':
    case 'developer':
    case 'user':
      return 0.5;
    case 'assistant':
      return 0.25;
    case 'tool':
      return TOOL_WEIGHT;
  }
};
const TOOL_DESCRIPTION_WEIGHT = 0.1;

const texts = new TextList();

/** Collects every text of a request with its weight, reads them within the read budget. */
export const extractFeatures = (
  request: ChatCompletionRequest,
  risk: Pick<RiskConfig, 'sideEffectTools'>,
): RequestFeatures => {
  const { messages } = request;
  texts.release(); // what an earlier call that threw left behind
  let lastUser = -1;
  let userTurns = 0;
  for (let i = 0; i < messages.length; i++) {
    if (messages[i]?.role === 'user') {
      lastUser = i;
      userTurns++;
    }
  }

  let framing = REPLY_PRIMING_TOKENS;
  let images = 0;
  let imageTokenSum = 0;
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i];
    if (message === undefined) continue;
    framing += MESSAGE_OVERHEAD_TOKENS + ('name' in message && message.name ? 1 : 0);
    const ask = i === lastUser;
    const weight = ask ? LAST_USER_WEIGHT : roleWeight(message.role);
    const { content } = message;
    if (typeof content === 'string') texts.add(content, weight, ask);
    else if (Array.isArray(content)) {
      for (const part of content) {
        if (part.type === 'text') texts.add(part.text, weight, ask);
        else {
          images++;
          imageTokenSum += imageTokens(part.image_url.detail);
        }
      }
    }
    if (message.role === 'assistant' && message.tool_calls !== undefined) {
      for (const call of message.tool_calls) {
        texts.add(call.function.name, 0, false);
        texts.add(call.function.arguments, TOOL_WEIGHT, false);
      }
    }
  }

  const sideEffectTools: string[] = [];
  const tools = request.tools ?? [];
  for (const tool of tools) {
    const fn = tool.function;
    texts.add(fn.name, 0, false);
    if (fn.description !== undefined) {
      texts.add(fn.description, TOOL_DESCRIPTION_WEIGHT, false);
    }
    if (fn.parameters !== undefined) {
      texts.add(JSON.stringify(fn.parameters), 0, false);
    }
    framing += 8;
    if (globAny(risk.sideEffectTools, fn.name)) sideEffectTools.push(fn.name);
  }

  const { stats, cues, weightedWords, askWords } = readTexts(texts);
  texts.release();
  const letters = stats.latinLetters + stats.otherLetters;
  return {
    estimatedTokens: Math.round(stats.tokens + framing + imageTokenSum),
    messages: messages.length,
    userTurns,
    tools: tools.length,
    sideEffectTools,
    toolChoiceRequired:
      tools.length > 0 &&
      (request.tool_choice === 'required' || typeof request.tool_choice === 'object'),
    images,
    maxOutputTokens: request.max_completion_tokens ?? request.max_tokens ?? undefined,
    responseFormat: request.response_format?.type ?? 'text',
    reasoningCues: cues.reasoning,
    codeCues: cues.code,
    mathCues: cues.math,
    multiStepCues: cues.multiStep,
    simpleTaskCues: cues.simpleTask,
    weightedWords,
    askWords,
    nonLatinShare: letters === 0 ? 0 : stats.otherLetters / letters,
    foreignLatinShare:
      stats.foreignWords === 0 ? 0 : stats.foreignWords / (stats.foreignWords + stats.englishWords),
    pii: stats.pii,
  };
};
