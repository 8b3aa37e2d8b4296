import type { RouterConfig } from '../config/schema.ts';
import type { RouteTarget } from './contracts.ts';
import type { Tier } from './tiers.ts';

type RouteIndex = { byModel: Map<string, RouteTarget>; routes: Record<Tier, RouteTarget[]> };

// Built once per config object: decisions then cost a few array reads.
const indexes = new WeakMap<RouterConfig, RouteIndex>();

const indexOf = (config: RouterConfig): RouteIndex => {
  let index = indexes.get(config);
  if (index === undefined) {
    const byModel = new Map<string, RouteTarget>();
    for (const model of config.models) {
      const provider = config.providers.find((p) => p.id === model.provider);
      // parseConfig guarantees the provider exists; a hand-built config may not.
      if (provider !== undefined) byModel.set(model.id, { model, provider });
    }
    const route = (tier: Tier): RouteTarget[] =>
      config.routes[tier].models.flatMap((id) => {
        const target = byModel.get(id);
        return target === undefined ? [] : [target];
      });
    index = { byModel, routes: { edge: route('edge'), regional: route('regional') } };
    indexes.set(config, index);
  }
  return index;
};

/** The route of a tier: primary first, then the fallback chain. */
export const routeTargets = (config: RouterConfig, tier: Tier): readonly RouteTarget[] =>
  indexOf(config).routes[tier];

/** The target of one configured model. */
export const targetOfModel = (config: RouterConfig, modelId: string): RouteTarget | undefined =>
  indexOf(config).byModel.get(modelId);

/** What a target must offer to serve a request. */
export type TargetNeeds = { tokens: number; vision: boolean };

/** Whether a target's model can take the request: context window and image input. */
export const targetFits = (target: RouteTarget, needs: TargetNeeds): boolean =>
  target.model.contextWindow >= needs.tokens && (!needs.vision || target.model.vision);
