import type { RouterConfig, TenantConfig } from '../config/schema.ts';
import { AUTO_MODEL, tierOfModel } from './resolve-model.ts';
import type { Tier } from './tiers.ts';

/** `GET /v1/models` in OpenAI's list shape. */
export type ModelList = {
  object: 'list';
  data: { id: string; object: 'model'; created: number; owned_by: string }[];
};

/** The names a tenant may send as `model`: `auto`, the aliases, the model ids, by its policy. */
export const modelsFor = (config: RouterConfig, tenant: TenantConfig): string[] => {
  const allowed = tenant.allowedModels;
  const mayAsk = (...names: string[]) =>
    allowed.includes('*') || names.some((name) => allowed.includes(name));
  const servable = (tier: Tier) => tenant.allowedTiers.includes(tier);
  const names: string[] = [];
  if (mayAsk(AUTO_MODEL)) names.push(AUTO_MODEL);
  for (const [alias, target] of Object.entries(config.aliases)) {
    const model = config.models.find((m) => m.id === target);
    const tier = model ? tierOfModel(config, model) : (target as Tier);
    if (mayAsk(alias) && servable(tier)) names.push(alias);
  }
  for (const model of config.models) {
    if (mayAsk(model.id, model.name) && servable(tierOfModel(config, model))) {
      names.push(model.id);
    }
  }
  return [...new Set(names)];
};

// Stable across calls and doors, so clients that cache the list see no churn.
const CREATED = 1_767_225_600;

/** The body of `GET /v1/models` for a tenant, the same at both doors. */
export const modelList = (config: RouterConfig, tenant: TenantConfig): ModelList => ({
  object: 'list',
  data: modelsFor(config, tenant).map((id) => ({
    id,
    object: 'model',
    created: CREATED,
    owned_by: 'switchback',
  })),
});
