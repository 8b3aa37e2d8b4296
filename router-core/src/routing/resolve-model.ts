import { routeModelIds } from '../config/route-entries.ts';
import type { ModelConfig, RouterConfig, TenantConfig } from '../config/schema.ts';
import { RouterError } from '../errors/router-error.ts';
import { TIERS, type Tier } from './tiers.ts';

/** What a request's `model` names, once aliases are followed. */
export type RequestedModel =
  | { kind: 'auto' }
  | { kind: 'tier'; tier: Tier; name: string }
  | { kind: 'model'; model: ModelConfig; tier: Tier; name: string };

/** The virtual model that lets the router decide. */
export const AUTO_MODEL = 'auto';
const AUTO: RequestedModel = Object.freeze({ kind: 'auto' });

/** The tier that serves a model a client names: its `tier`, the route listing it, its provider. */
export const tierOfModel = (config: RouterConfig, model: ModelConfig): Tier => {
  if (model.tier !== undefined) return model.tier;
  for (const tier of TIERS) if (routeModelIds(config.routes[tier]).includes(model.id)) return tier;
  const provider = config.providers.find((p) => p.id === model.provider);
  return provider?.kind === 'workers-ai' ? 'edge' : 'regional';
};

const isTier = (name: string): name is Tier => (TIERS as readonly string[]).includes(name);

/** The names a client may send as `model`: `auto`, aliases, model ids. */
export const modelNames = (config: RouterConfig): string[] => [
  AUTO_MODEL,
  ...Object.keys(config.aliases),
  ...config.models.map((m) => m.id),
];

/**
 * Follows `model` (auto, an alias, a model id or a provider's model name) to what it names, and
 * checks the tenant may ask for it. Throws `unknown_model` or `policy_denied`.
 */
export const resolveRequestedModel = (
  config: RouterConfig,
  tenant: TenantConfig,
  requested: string,
): RequestedModel => {
  const allowed = tenant.allowedModels;
  // The commonest case first, before any closure is made.
  if (requested === AUTO_MODEL && (allowed.includes('*') || allowed.includes(AUTO_MODEL))) {
    return AUTO;
  }
  const mayAsk = (...names: string[]): boolean =>
    allowed.includes('*') || names.some((name) => allowed.includes(name));
  const deny = (): never => {
    throw new RouterError(
      'policy_denied',
      `The model "${requested}" is not allowed for this API key. Allowed: ${allowed.join(', ')}.`,
      { param: 'model' },
    );
  };

  if (requested === AUTO_MODEL) return mayAsk(AUTO_MODEL) ? { kind: 'auto' } : deny();

  const aliasTarget = config.aliases[requested];
  if (aliasTarget !== undefined) {
    if (!mayAsk(requested)) deny();
    if (isTier(aliasTarget)) return { kind: 'tier', tier: aliasTarget, name: requested };
    const model = config.models.find((m) => m.id === aliasTarget);
    if (model !== undefined) {
      return { kind: 'model', model, tier: tierOfModel(config, model), name: requested };
    }
  }

  const model =
    config.models.find((m) => m.id === requested) ??
    config.models.find((m) => m.name === requested);
  if (model !== undefined) {
    if (!mayAsk(model.id, model.name)) deny();
    return { kind: 'model', model, tier: tierOfModel(config, model), name: requested };
  }

  throw new RouterError(
    'unknown_model',
    `The model "${requested}" does not exist or you do not have access to it. Use "auto" or one of: ${modelNames(
      config,
    )
      .filter((name) => name !== AUTO_MODEL && mayAsk(name))
      .join(', ')}.`,
    { param: 'model' },
  );
};
