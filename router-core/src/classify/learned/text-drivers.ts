import type { ChatCompletionRequest } from '../../openai/chat-request.ts';
import { contextEnd, contextStart } from '../read-budget.ts';
import {
  bigramBucket,
  finalHash,
  fold,
  isSpaceless,
  isWordChar,
  MAX_WORD_CHARS,
  unigramBucket,
  WORD_HASH_START,
  wordHash,
} from './hash-features.ts';
import { askContent, type TextModel } from './text-model.ts';

/** One n-gram of the ask and the logits its bucket added (all its occurrences together). */
export type TextDriver = { ngram: string; logit: number };

type Gram = { ngram: string; bucket: number };

/**
 * The ask's n-grams as `hashFeatures` reads them, with their text: for `explain` only (it builds
 * strings; the hot path never calls it). Kept in step with `hashFeatures` by a test that the
 * drivers add up to the model's n-gram logit.
 */
const gramsOf = (text: string, start: number, end: number, grams: Gram[]): void => {
  let word = WORD_HASH_START;
  let chars = 0;
  let from = start;
  let previous: { hash: number; text: string } | undefined;
  const flush = (to: number) => {
    const long = chars > MAX_WORD_CHARS;
    const hash = finalHash(word, chars);
    const text_ = long ? '<long token>' : text.slice(from, to).toLowerCase();
    grams.push({ ngram: text_, bucket: unigramBucket(hash) });
    if (previous !== undefined) {
      grams.push({ ngram: `${previous.text} ${text_}`, bucket: bigramBucket(previous.hash, hash) });
    }
    previous = { hash, text: text_ };
    word = WORD_HASH_START;
    chars = 0;
  };
  for (let i = start; i <= end; i++) {
    const c = i < end ? fold(text.charCodeAt(i)) : 32;
    if (isWordChar(c) && !isSpaceless(c)) {
      if (chars === 0) from = i;
      word = wordHash(word, c);
      chars++;
      continue;
    }
    if (isSpaceless(c)) {
      if (chars > 0) flush(i);
      from = i;
      word = wordHash(WORD_HASH_START, c);
      chars = 1;
      flush(i + 1);
      continue;
    }
    if (chars > 0) flush(i);
  }
};

/** Every n-gram of the ask with the logits it added, strongest push first (either way). */
export const textDrivers = (model: TextModel, request: ChatCompletionRequest): TextDriver[] => {
  const grams: Gram[] = [];
  const content = askContent(request);
  const texts =
    content === undefined
      ? []
      : typeof content === 'string'
        ? [content]
        : content.flatMap((part) => (part.type === 'text' ? [part.text] : []));
  // Read as `hashAsk` reads it: the head up to where the context starts, the tail from its end.
  for (const text of texts) {
    const length = text.length;
    gramsOf(text, 0, contextStart(length, true), grams);
    const tail = contextEnd(length, true);
    if (tail < length) gramsOf(text, tail, length, grams);
  }
  if (grams.length === 0) return [];
  const norm = model.scale / Math.sqrt(grams.length);
  const byGram = new Map<string, number>();
  for (const g of grams) {
    byGram.set(g.ngram, (byGram.get(g.ngram) ?? 0) + (model.buckets[g.bucket] ?? 0) * norm);
  }
  return [...byGram]
    .map(([ngram, logit]) => ({ ngram, logit }))
    .sort((a, b) => Math.abs(b.logit) - Math.abs(a.logit) || (a.ngram < b.ngram ? -1 : 1));
};
