import type { Target } from '../targets.ts';

const VOCABULARY = [
  'amber',
  'basil',
  'cedar',
  'delta',
  'ember',
  'fable',
  'glade',
  'harbor',
  'island',
  'jasper',
  'kestrel',
  'lumen',
  'meadow',
  'nectar',
  'orbit',
  'pebble',
  'quartz',
  'river',
  'summit',
  'timber',
  'umber',
  'velvet',
  'willow',
  'xenon',
  'yonder',
  'zephyr',
  'aurora',
  'breeze',
  'canyon',
  'dune',
  'echo',
  'fern',
] as const;

/** FNV-1a, 32 bit: cheap, stable across runs and platforms. */
export const fnv1a = (text: string): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
};

/**
 * The words of a simulated answer: a pure function of the target, the model and the text of the
 * request's last message, so a test can recompute what it should receive.
 */
export const replyWords = (
  target: Target,
  model: string,
  lastText: string,
  count: number,
): string[] => {
  let state = fnv1a(`${target}|${model}|${lastText}`);
  const words: string[] = [];
  for (let i = 0; i < count; i++) {
    // xorshift32: a deterministic stream of word picks from the seed.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    words.push(VOCABULARY[state % VOCABULARY.length] ?? 'amber');
  }
  return words;
};

/** The full text answer (`words.join(' ')`), as a client sees it after reassembly. */
export const replyText = (target: Target, model: string, lastText: string, count: number): string =>
  replyWords(target, model, lastText, count).join(' ');

/** The answer in JSON mode: `{"reply":"<the words>"}`, valid JSON once complete. */
export const jsonReplyText = (
  target: Target,
  model: string,
  lastText: string,
  count: number,
): string => JSON.stringify({ reply: replyText(target, model, lastText, count) });

/** One token per word; tokens after the first carry their leading space. */
export const textTokens = (words: readonly string[]): string[] =>
  words.map((word, i) => (i === 0 ? word : ` ${word}`));

/** JSON mode tokens: the same words inside `{"reply":"…"}`, so the joined tokens parse. */
export const jsonTokens = (words: readonly string[]): string[] => {
  if (words.length === 0) return ['{"reply":""}'];
  const tokens = textTokens(words);
  tokens[0] = `{"reply":"${tokens[0]}`;
  tokens[tokens.length - 1] = `${tokens[tokens.length - 1]}"}`;
  return tokens;
};

/** Tokens joined in groups of `size` (the last one may be shorter): the same text in fewer chunks. */
export const groupTokens = (tokens: readonly string[], size: number): string[] => {
  const grouped: string[] = [];
  for (let i = 0; i < tokens.length; i += size) grouped.push(tokens.slice(i, i + size).join(''));
  return grouped;
};
