import { entryModel, entryRung, routeModelIds } from '../config/route-entries.ts';
import type { RouterConfig } from '../config/schema.ts';
import type { RouteTarget } from './contracts.ts';
import type { EdgeRung, Tier } from './tiers.ts';

type RouteIndex = {
  byModel: Map<string, RouteTarget>;
  routes: Record<Tier, RouteTarget[]>;
  rungs: Record<EdgeRung, RouteTarget[]>;
  large: ReadonlySet<string>;
};

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
      routeModelIds(config.routes[tier]).flatMap((id) => {
        const target = byModel.get(id);
        return target === undefined ? [] : [target];
      });
    const edge = route('edge');
    const large = new Set(
      config.routes.edge.models.filter((e) => entryRung(e) === 'large').map(entryModel),
    );
    const isLarge = (t: RouteTarget): boolean => large.has(t.model.id);
    index = {
      byModel,
      routes: { edge, regional: route('regional') },
      // The fast rung falls back to the large models, never the other way round: a medium
      // request served by a small model would be a silent downgrade.
      rungs: {
        fast: [...edge.filter((t) => !isLarge(t)), ...edge.filter(isLarge)],
        large: edge.filter(isLarge),
      },
      large,
    };
    indexes.set(config, index);
  }
  return index;
};

/** The route of a tier: primary first, then the fallback chain. */
export const routeTargets = (config: RouterConfig, tier: Tier): readonly RouteTarget[] =>
  indexOf(config).routes[tier];

/** The targets of a rung of the edge ladder (the fast rung is the whole route without one). */
export const rungTargets = (config: RouterConfig, rung: EdgeRung): readonly RouteTarget[] =>
  indexOf(config).rungs[rung];

/** The ids of the edge route's `use: large` models. */
export const largeModelIds = (config: RouterConfig): ReadonlySet<string> => indexOf(config).large;

/** Whether the edge route has a `use: large` model: the edge is then a ladder. */
export const hasLargeRung = (config: RouterConfig): boolean =>
  indexOf(config).rungs.large.length > 0;

/** The target of one configured model. */
export const targetOfModel = (config: RouterConfig, modelId: string): RouteTarget | undefined =>
  indexOf(config).byModel.get(modelId);

/** What a target must offer to serve a request. */
export type TargetNeeds = { tokens: number; vision: boolean };

/** Whether a target's model can take the request: context window and image input. */
export const targetFits = (target: RouteTarget, needs: TargetNeeds): boolean =>
  target.model.contextWindow >= needs.tokens && (!needs.vision || target.model.vision);
