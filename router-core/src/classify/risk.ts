import type { RiskConfig, TenantConfig } from '../config/schema.ts';
import type { RiskTier } from '../routing/tiers.ts';
import type { RequestFeatures } from './request-features.ts';

/** What can raise a request's risk tier. */
export const RISK_FACTORS = ['side_effect_tools', 'pii', 'sensitive_class'] as const;
export type RiskFactor = (typeof RISK_FACTORS)[number];

/**
 * The risk tier: high with side-effecting tools, or PII from a sensitive tenant class; medium with
 * either of those alone; low otherwise.
 */
export const assessRisk = (
  features: Pick<RequestFeatures, 'sideEffectTools' | 'pii'>,
  tenant: Pick<TenantConfig, 'class'>,
  risk: Pick<RiskConfig, 'sensitiveClasses'>,
): { risk: RiskTier; factors: RiskFactor[] } => {
  const factors: RiskFactor[] = [];
  if (features.sideEffectTools.length > 0) factors.push('side_effect_tools');
  if (features.pii > 0) factors.push('pii');
  if (risk.sensitiveClasses.includes(tenant.class)) factors.push('sensitive_class');
  const tier: RiskTier =
    factors.includes('side_effect_tools') || factors.length >= 2
      ? 'high'
      : factors.length === 1
        ? 'medium'
        : 'low';
  return { risk: tier, factors };
};
