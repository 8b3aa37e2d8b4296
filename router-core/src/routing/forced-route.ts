import type { Tier } from './tiers.ts';

/** What an operator forces for a tenant's requests: a tier, or one configured model. */
export type ForcedRoute =
  | { kind: 'force_tier'; tier: Tier }
  | { kind: 'force_model'; model: string };
