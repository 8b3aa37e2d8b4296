// Weighted logistic regression over hashed sparse features plus a few dense ones, fitted with
// AdaGrad and L2. Small and deterministic (a seeded shuffle): the same rows give the same model.
import { HASH_BITS } from '../../src/classify/learned/hash-features.ts';
import {
  DENSE_FEATURES,
  type DenseValues,
  type TextModel,
} from '../../src/classify/learned/text-model.ts';
import { encodeWeights } from '../../src/classify/learned/weight-text.ts';

export type Example = {
  /** Bucket indices of the ask's features (with repeats). */
  buckets: Int32Array;
  dense: DenseValues;
  /** 1 hard, 0 easy. */
  y: 0 | 1;
  /** Sample weight: each source weighs the same within its label, each label the same overall. */
  weight: number;
};

export type FitOptions = { epochs: number; learningRate: number; l2: number; seed: number };
// Few passes at a small rate: fitting the training sources closer made unseen sources worse.
export const DEFAULT_FIT: FitOptions = { epochs: 3, learningRate: 0.1, l2: 1e-6, seed: 7 };

/** A float model before quantisation. */
export type FloatModel = { bias: number; buckets: Float64Array; dense: Float64Array };

const mulberry32 = (seed: number) => {
  let a = seed >>> 0;
  return (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

export const fit = (
  examples: readonly Example[],
  options: FitOptions = DEFAULT_FIT,
): FloatModel => {
  const size = 1 << HASH_BITS;
  const w = new Float64Array(size);
  const g2 = new Float64Array(size).fill(1e-8);
  const d = new Float64Array(DENSE_FEATURES.length);
  const dg2 = new Float64Array(DENSE_FEATURES.length).fill(1e-8);
  let bias = 0;
  let bg2 = 1e-8;
  const order = examples.map((_, i) => i);
  const random = mulberry32(options.seed);
  const meanWeight = examples.reduce((s, e) => s + e.weight, 0) / Math.max(1, examples.length);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (const index of order) {
      const e = examples[index] as Example;
      const n = e.buckets.length;
      const norm = n === 0 ? 0 : 1 / Math.sqrt(n);
      let z = bias;
      for (let k = 0; k < n; k++) z += (w[e.buckets[k] as number] as number) * norm;
      for (let k = 0; k < DENSE_FEATURES.length; k++) {
        z += (d[k] as number) * e.dense[DENSE_FEATURES[k] as keyof DenseValues];
      }
      const p = 1 / (1 + Math.exp(-z));
      const err = ((p - e.y) * e.weight) / meanWeight;
      const lr = options.learningRate;
      for (let k = 0; k < n; k++) {
        const b = e.buckets[k] as number;
        const g = err * norm + options.l2 * (w[b] as number);
        g2[b] = (g2[b] as number) + g * g;
        w[b] = (w[b] as number) - (lr * g) / Math.sqrt(g2[b] as number);
      }
      for (let k = 0; k < DENSE_FEATURES.length; k++) {
        const g =
          err * e.dense[DENSE_FEATURES[k] as keyof DenseValues] + options.l2 * (d[k] as number);
        dg2[k] = (dg2[k] as number) + g * g;
        d[k] = (d[k] as number) - (lr * g) / Math.sqrt(dg2[k] as number);
      }
      bg2 += err * err;
      bias -= (lr * err) / Math.sqrt(bg2);
    }
  }
  return { bias, buckets: w, dense: d };
};

/**
 * Steps either side of zero the largest bucket weight is rounded to. 63 rather than int8's 127:
 * the training sources' leave-one-source-out is the same (92.4 / 77.8 % against 92.3 / 77.8 %),
 * the checked-in table gzips 6 KB smaller in the Worker's 150 KB budget.
 */
export const WEIGHT_LEVELS = 63;

/** Rounds the bucket weights to int8 steps of one scale (the largest is ±`WEIGHT_LEVELS`). */
export const quantise = (model: FloatModel): TextModel & { text: string } => {
  let max = 0;
  for (const v of model.buckets) max = Math.max(max, Math.abs(v));
  const scale = max === 0 ? 1 : max / WEIGHT_LEVELS;
  const buckets = new Int8Array(model.buckets.length);
  for (let i = 0; i < buckets.length; i++)
    buckets[i] = Math.round((model.buckets[i] as number) / scale);
  const dense = Object.fromEntries(
    DENSE_FEATURES.map((name, k) => [name, Number((model.dense[k] as number).toFixed(4))]),
  ) as unknown as DenseValues;
  return {
    bias: Number(model.bias.toFixed(4)),
    scale,
    buckets,
    dense,
    text: encodeWeights(buckets),
  };
};
