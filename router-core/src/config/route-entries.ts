import type { EdgeRung } from '../routing/tiers.ts';

/** An entry of a route's `models`: an id, or (edge) `{ model, use }`. */
export type RouteEntry = string | { model: string; use: EdgeRung };

/** The model id an entry names. */
export const entryModel = (entry: RouteEntry): string =>
  typeof entry === 'string' ? entry : entry.model;

/** The rung an entry is on: a bare id is `fast`. */
export const entryRung = (entry: RouteEntry): EdgeRung =>
  typeof entry === 'string' ? 'fast' : entry.use;

/** The model ids of a route, in order. */
export const routeModelIds = (route: { models: readonly RouteEntry[] }): string[] =>
  route.models.map(entryModel);
