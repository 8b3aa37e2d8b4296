import type { RoutedRequest } from './route-traffic.ts';

/** One request routed differently by two configs. */
export type RouteChange = {
  line: number;
  tenant: string;
  workflow: string | undefined;
  label: string | undefined;
  from: Side;
  to: Side;
};

type Side = { route: string; score: number; reasons: string[] };

export type RouteDiff = {
  requests: number;
  changed: number;
  /** Counts per `from → to` route, largest first. */
  transitions: { from: string; to: string; count: number }[];
  changes: RouteChange[];
};

const sideOf = (r: RoutedRequest): Side =>
  r.ok
    ? { route: `${r.tier}/${r.model}`, score: r.score, reasons: r.reasons }
    : { route: `refused:${r.error}`, score: r.score, reasons: [r.message] };

/** Which requests two replays of the same traffic route differently, and why on each side. */
export const diffRoutes = (
  before: readonly RoutedRequest[],
  after: readonly RoutedRequest[],
): RouteDiff => {
  const changes: RouteChange[] = [];
  const counts = new Map<string, { from: string; to: string; count: number }>();
  for (let i = 0; i < before.length; i++) {
    const a = before[i];
    const b = after[i];
    if (a === undefined || b === undefined) continue;
    const from = sideOf(a);
    const to = sideOf(b);
    if (from.route === to.route) continue;
    changes.push({
      line: a.line,
      tenant: a.tenant,
      workflow: a.workflow,
      label: a.label,
      from,
      to,
    });
    const key = `${from.route}\u0000${to.route}`;
    const entry = counts.get(key) ?? { from: from.route, to: to.route, count: 0 };
    entry.count++;
    counts.set(key, entry);
  }
  return {
    requests: before.length,
    changed: changes.length,
    transitions: [...counts.values()].sort(
      (x, y) => y.count - x.count || (x.from + x.to < y.from + y.to ? -1 : 1),
    ),
    changes,
  };
};
