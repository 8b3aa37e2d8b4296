import type { ClassificationConfig } from '../config/schema.ts';
import type { FeatureName } from './feature-names.ts';
import type { CueValues } from './learned/text-model.ts';
import type { RequestFeatures } from './request-features.ts';

/** 0 at 0, about 0.63 at `scale`, approaching 1: many cues add up, without bound. */
const saturate = (x: number, scale: number): number => (x <= 0 ? 0 : 1 - Math.exp(-x / scale));
const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

/** Cue strength at which a cue feature reaches about 0.63. */
export const SCALE = { reasoning: 0.6, code: 1, math: 0.6, multiStep: 0.6, simpleTask: 0.6 };

/** The scanner's cue strengths in [0, 1]: dense inputs of the learned text model. */
export const cueValues = (f: RequestFeatures): CueValues => ({
  reasoning: saturate(f.reasoningCues, SCALE.reasoning),
  code: saturate(f.codeCues, SCALE.code),
  math: saturate(f.mathCues, SCALE.math),
  multiStep: saturate(f.multiStepCues, SCALE.multiStep),
  simpleTask: saturate(f.simpleTaskCues, SCALE.simpleTask),
  language: Math.max(f.nonLatinShare, f.foreignLatinShare),
});

/** The context feature's value at the medium threshold: past it, what it adds is length. */
export const MEDIUM_CONTEXT_VALUE = 0.25;

/** Each shape feature's value in [0, 1] (`text` is the learned model's, set by `classify`). */
export const featureValues = (
  f: RequestFeatures,
  thresholds: Pick<ClassificationConfig, 'mediumContextTokens' | 'longContextTokens'>,
  text: number,
): Record<FeatureName, number> => {
  const { mediumContextTokens: medium, longContextTokens: long } = thresholds;
  const t = f.estimatedTokens;
  return {
    text,
    // A quarter of the way at the medium threshold, all the way at the long one.
    context:
      t <= medium
        ? (MEDIUM_CONTEXT_VALUE * t) / medium
        : t >= long
          ? 1
          : MEDIUM_CONTEXT_VALUE + ((1 - MEDIUM_CONTEXT_VALUE) * (t - medium)) / (long - medium),
    tools:
      f.tools === 0 ? 0 : clamp01(0.3 + 0.1 * (f.tools - 1) + (f.toolChoiceRequired ? 0.2 : 0)),
    sideEffects: f.sideEffectTools.length > 0 ? 1 : 0,
    structuredOutput:
      f.responseFormat === 'json_schema' ? 1 : f.responseFormat === 'json_object' ? 0.6 : 0,
    outputLength:
      f.maxOutputTokens === undefined ? 0 : clamp01((f.maxOutputTokens - 1024) / (8192 - 1024)),
    images: f.images > 0 ? 1 : 0,
    turns: clamp01((f.userTurns - 1) / 8),
  };
};
