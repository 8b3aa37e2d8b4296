import { SUMMARIZER_INSTRUCTION } from '@switchback/router-core';
import { fnv1a } from './reply-words.ts';

const firstText = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    const first = value[0] as { text?: unknown } | undefined;
    return typeof first?.text === 'string' ? first.text : undefined;
  }
  return undefined;
};

/**
 * Whether a request body asks for a checkpoint summary: its first message (OpenAI and Workers AI
 * shapes) or its system block (Bedrock) is the router's summarizer instruction.
 */
export const isSummaryRequest = (body: unknown): boolean => {
  if (typeof body !== 'object' || body === null) return false;
  const { messages, system } = body as { messages?: unknown; system?: unknown };
  const first = Array.isArray(messages)
    ? (messages[0] as { content?: unknown } | undefined)
    : undefined;
  return (
    firstText(first?.content) === SUMMARIZER_INSTRUCTION ||
    firstText(system) === SUMMARIZER_INSTRUCTION
  );
};

/**
 * The simulated summarizer's answer, a pure function of the transcript (the request's last
 * message), so a test can recompute it: `checkpoint <lines> lines <fnv1a hex>`.
 */
export const summaryWords = (transcript: string): string[] => [
  'checkpoint',
  String(transcript.split('\n').length),
  'lines',
  fnv1a(transcript).toString(16).padStart(8, '0'),
];
