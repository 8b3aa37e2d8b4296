import {
  AUTO_MODEL,
  type RouterConfig,
  type TenantConfig,
  type Tier,
  tierOfModel,
} from '@switchback/router-core';
import type { Handler } from 'hono';
import type { AppEnv } from '../app-env.ts';

type ModelEntry = { id: string; object: 'model'; created: number; owned_by: string };

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

/** `GET /v1/models`, in OpenAI's list shape. */
export const listModels = (config: RouterConfig): Handler<AppEnv> =>
  function listModels(c) {
    // Stable across calls, so clients that cache the list see no churn.
    const created = 1_767_225_600;
    const data: ModelEntry[] = modelsFor(config, c.var.caller.tenant).map((id) => ({
      id,
      object: 'model',
      created,
      owned_by: 'switchback',
    }));
    return c.json({ object: 'list', data });
  };
