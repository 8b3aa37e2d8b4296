import { scanText } from './scan-text.ts';
import { TextStats } from './text-stats.ts';

/** Estimated o200k tokens of a text, without a tokenizer: one pass, no allocation per word. */
export const estimateTextTokens = (text: string): number => {
  const stats = new TextStats();
  scanText(text, stats, 0);
  return Math.round(stats.tokens);
};

/** Tokens an image costs the model: OpenAI's flat 85 for low detail, a typical tile count else. */
export const imageTokens = (detail: 'auto' | 'low' | 'high' | undefined): number =>
  detail === 'low' ? 85 : 765;

/** Per-message framing tokens (role, separators), as OpenAI counts them. */
export const MESSAGE_OVERHEAD_TOKENS = 3;
/** Tokens that prime the assistant's reply. */
export const REPLY_PRIMING_TOKENS = 3;
