import type { RiskConfig } from '../config/schema.ts';
import type { ChatCompletionRequest, ChatMessage } from '../openai/chat-request.ts';
import { imageTokens, MESSAGE_OVERHEAD_TOKENS, REPLY_PRIMING_TOKENS } from './estimate-tokens.ts';
import { globAny } from './glob.ts';
import { scanText } from './scan-text.ts';
import { TextStats } from './text-stats.ts';

/** The raw facts the classifier reads from a request, before weighting. */
export type RequestFeatures = {
  /** Estimated prompt tokens: messages, tool definitions, images and framing. */
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
  /** Words in the last user turn (0 without one). */
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

// How much a cue counts by where it sits: the last user turn is the ask; the rest is context.
const LAST_USER_WEIGHT = 1;
const WEIGHT_BY_ROLE: Record<ChatMessage['role'], number> = {
  system: 0.5,
  developer: 0.5,
  user: 0.5,
  assistant: 0.25,
  tool: 0.15,
};
const TOOL_DESCRIPTION_WEIGHT = 0.1;

type CueKey = 'reasoning' | 'code' | 'math' | 'multiStep' | 'simpleTask';
const CUE_KEYS: readonly CueKey[] = ['reasoning', 'code', 'math', 'multiStep', 'simpleTask'];

/**
 * Cues per word that any long text has by chance ("first", "then", "design", a few braces): only
 * hits above this baseline count.
 */
const BASELINE_PER_WORD: Record<CueKey, number> = {
  reasoning: 0.004,
  code: 0.002,
  math: 0.002,
  multiStep: 0.004,
  simpleTask: 0.003,
};

/**
 * In a long last turn the ask sits at its start or end, around pasted material: only those
 * windows are read for cues, so neither the document's own vocabulary nor its baseline decides.
 */
const ASK_WINDOW_CHARS = 300;

/** Reads every text of a request once; `risk` supplies the side-effect tool globs. */
export const extractFeatures = (
  request: ChatCompletionRequest,
  risk: Pick<RiskConfig, 'sideEffectTools'>,
): RequestFeatures => {
  const stats = new TextStats();
  const cues: Record<CueKey, number> = {
    reasoning: 0,
    code: 0,
    math: 0,
    multiStep: 0,
    simpleTask: 0,
  };
  const before: Record<CueKey, number> = { ...cues };
  let weightedWords = 0;
  let askWords = 0;
  const scan = (text: string, weight: number, askWindows = false): void => {
    for (const key of CUE_KEYS) before[key] = stats[key];
    const wordsBefore = stats.words;
    scanText(text, stats, weight);
    const words = (stats.words - wordsBefore) * weight;
    weightedWords += words;
    if (askWindows) askWords += stats.words - wordsBefore;
    let windows: TextStats | undefined;
    if (askWindows && text.length > 3 * ASK_WINDOW_CHARS) {
      windows = new TextStats();
      scanText(text.slice(0, ASK_WINDOW_CHARS), windows, weight);
      scanText(text.slice(-ASK_WINDOW_CHARS), windows, weight);
    }
    for (const key of CUE_KEYS) {
      const found = Math.max(0, stats[key] - before[key] - words * BASELINE_PER_WORD[key]);
      cues[key] += windows === undefined ? found : windows[key];
    }
  };

  const { messages } = request;
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
    const weight = i === lastUser ? LAST_USER_WEIGHT : WEIGHT_BY_ROLE[message.role];
    const { content } = message;
    const isAsk = i === lastUser;
    if (typeof content === 'string') scan(content, weight, isAsk);
    else if (Array.isArray(content)) {
      for (const part of content) {
        if (part.type === 'text') scan(part.text, weight, isAsk);
        else {
          images++;
          imageTokenSum += imageTokens(part.image_url.detail);
        }
      }
    }
    if (message.role === 'assistant' && message.tool_calls !== undefined) {
      for (const call of message.tool_calls) {
        scan(call.function.name, 0);
        scan(call.function.arguments, WEIGHT_BY_ROLE.tool);
      }
    }
  }

  const sideEffectTools: string[] = [];
  const tools = request.tools ?? [];
  for (const tool of tools) {
    const fn = tool.function;
    scan(fn.name, 0);
    if (fn.description !== undefined) scan(fn.description, TOOL_DESCRIPTION_WEIGHT);
    if (fn.parameters !== undefined) scan(JSON.stringify(fn.parameters), 0);
    framing += 8;
    if (globAny(risk.sideEffectTools, fn.name)) sideEffectTools.push(fn.name);
  }

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
