import type { RouterConfigInput } from '@switchback/router-core';

/** The gate of the rollout tests (edge in workerd, the CLI against the local stack). */
export const ROLLOUT_GATE = {
  windowMs: 60_000,
  minRequests: 8,
  maxBurnRate: 6,
  // Errors decide these cases; timing and price noise between two edge models must not.
  maxTtftP95Ratio: 100,
  maxCostPerSuccessRatio: 100,
};

/** `c` with its edge route on one Workers AI model, `name`, that a simulator fault breaks. */
export const routeEdgeToBroken = (c: RouterConfigInput, name: string): void => {
  c.models.push({
    id: 'broken',
    provider: 'workers-ai',
    name,
    contextWindow: 131_072,
    price: { inputPerMillion: 0.06, cachedInputPerMillion: 0.06, outputPerMillion: 0.4 },
  });
  c.routes = { ...c.routes, edge: { models: ['broken'] } };
};
