import type { ClassificationConfig } from '../config/schema.ts';
import type { ContextTier } from '../routing/tiers.ts';

/** Short, medium or long by the config's token thresholds. */
export const contextTier = (
  tokens: number,
  thresholds: Pick<ClassificationConfig, 'mediumContextTokens' | 'longContextTokens'>,
): ContextTier =>
  tokens >= thresholds.longContextTokens
    ? 'long'
    : tokens >= thresholds.mediumContextTokens
      ? 'medium'
      : 'short';
