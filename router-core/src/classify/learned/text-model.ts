import type { ChatCompletionRequest } from '../../openai/chat-request.ts';
import { contextEnd, contextStart } from '../read-budget.ts';
import { type AskShape, askShape, shortSentences } from './ask-shape.ts';
import { HASH_BITS, hashFeatures, MAX_FEATURES } from './hash-features.ts';
import { decodeWeights } from './weight-text.ts';

/**
 * What the model weighs beside the n-grams: the hand-written scanner's cue signals, then the
 * ask's shape (`ask-shape.ts`).
 */
export const DENSE_FEATURES = [
  'reasoning',
  'code',
  'math',
  'multiStep',
  'simpleTask',
  'language',
  'terse',
  'repeats',
  'chain',
] as const;
export type DenseFeature = (typeof DENSE_FEATURES)[number];
export type DenseValues = Readonly<Record<DenseFeature, number>>;
/** The scanner's part of the dense values (`cueValues`); the shape is read off the ask here. */
export type CueValues = Omit<DenseValues, keyof AskShape>;

/**
 * A logistic model over the ask: `z = bias + scale · Σ q[bucket] / √n + Σ dense · value`, where
 * the sum runs over the ask's n features and `q` holds each bucket's weight quantised to int8.
 * `p = σ(z)` is the chance the ask is one a small model gets wrong.
 */
export type TextModel = {
  readonly bias: number;
  /** One int8 step of a bucket weight, in logits. */
  readonly scale: number;
  readonly buckets: Int8Array;
  readonly dense: DenseValues;
};

const features = new Int32Array(MAX_FEATURES);

type UserContent = Extract<ChatCompletionRequest['messages'][number], { role: 'user' }>['content'];

/** The ask: the last user turn's content, or undefined when the request has none. */
export const askContent = (request: ChatCompletionRequest): UserContent | undefined => {
  const { messages } = request;
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.role === 'user') return message.content;
  }
  return undefined;
};

/** Hashes the ask as the classifier reads it: whole, or head and tail (see `read-budget.ts`). */
export const hashAsk = (request: ChatCompletionRequest, out: Int32Array): number => {
  const content = askContent(request);
  if (content === undefined) return 0;
  if (typeof content === 'string') return hashText(content, out, 0);
  let n = 0;
  for (const part of content) if (part.type === 'text') n = hashText(part.text, out, n);
  return n;
};

/** The ask's short sentences, over the characters `hashAsk` reads: whole, or head and tail. */
export const askShortSentences = (request: ChatCompletionRequest): number => {
  const content = askContent(request);
  if (content === undefined) return 0;
  if (typeof content === 'string') return textShortSentences(content);
  let short = 0;
  for (const part of content) if (part.type === 'text') short += textShortSentences(part.text);
  return short;
};

/** The ask's shape alone (for `explain`: the hot path reads it inside `scoreAsk`). */
export const askShapeOf = (request: ChatCompletionRequest): AskShape =>
  askShape(askShortSentences(request), features, hashAsk(request, features));

/** The dense values of an ask whose n-gram buckets are `buckets[0, n)`: cues and shape. */
export const denseValues = (
  request: ChatCompletionRequest,
  cues: CueValues,
  buckets: Int32Array,
  n: number,
): DenseValues => {
  const shape = askShape(askShortSentences(request), buckets, n);
  return { ...cues, terse: shape.terse, repeats: shape.repeats, chain: shape.chain };
};

// The ask's head ends where its context starts, its tail begins where the context ends: a short
// ask is all head.
const hashText = (text: string, out: Int32Array, at: number): number => {
  const length = text.length;
  const n = hashFeatures(text, 0, contextStart(length, true), out, at);
  const tail = contextEnd(length, true);
  return tail < length ? hashFeatures(text, tail, length, out, n) : n;
};

const textShortSentences = (text: string): number => {
  const length = text.length;
  const short = shortSentences(text, 0, contextStart(length, true));
  const tail = contextEnd(length, true);
  return tail < length ? short + shortSentences(text, tail, length) : short;
};

/** The n-gram part of the logit for features `out[0, n)`. */
export const bucketLogit = (model: TextModel, out: Int32Array, n: number): number => {
  if (n === 0) return 0;
  const { buckets } = model;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += buckets[out[i] as number] as number;
  return (model.scale * sum) / Math.sqrt(n);
};

/** The scanner cues' part of the dense logit (the shape's is `shapeLogit`). */
export const cueLogit = (model: TextModel, values: CueValues): number => {
  const d = model.dense;
  return (
    d.reasoning * values.reasoning +
    d.code * values.code +
    d.math * values.math +
    d.multiStep * values.multiStep +
    d.simpleTask * values.simpleTask +
    d.language * values.language
  );
};

/** The shape's part of the dense logit. */
export const shapeLogit = (model: TextModel, values: AskShape): number => {
  const d = model.dense;
  return d.terse * values.terse + d.repeats * values.repeats + d.chain * values.chain;
};

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/**
 * What the model makes of a request: the probability, the two parts of its logit and, of the
 * dense part, the shape's.
 */
export type TextVerdict = {
  probability: number;
  ngramLogit: number;
  denseLogit: number;
  shapeLogit: number;
};

/** The chance that a request's ask is one a small model gets wrong. */
export const scoreAsk = (
  model: TextModel,
  request: ChatCompletionRequest,
  cues: CueValues,
): TextVerdict => {
  const n = hashAsk(request, features);
  const ngram = bucketLogit(model, features, n);
  const shape = shapeLogit(model, askShape(askShortSentences(request), features, n));
  const dense = cueLogit(model, cues) + shape;
  return {
    probability: sigmoid(model.bias + ngram + dense),
    ngramLogit: ngram,
    denseLogit: dense,
    shapeLogit: shape,
  };
};

/** Decodes the artifact's int8 weights (a checked-in file written by the trainer). */
export const decodeBuckets = (text: string): Int8Array => decodeWeights(text, 1 << HASH_BITS);
