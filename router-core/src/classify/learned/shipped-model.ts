import { decodeBuckets, type TextModel } from './text-model.ts';
import { WEIGHTS } from './weights.ts';

/** The model `npm run train:router` wrote (see `router-core/data/SOURCES.md`). */
export const SHIPPED_TEXT_MODEL: TextModel = {
  bias: WEIGHTS.bias,
  scale: WEIGHTS.scale,
  dense: WEIGHTS.dense,
  buckets: decodeBuckets(WEIGHTS.buckets),
};
