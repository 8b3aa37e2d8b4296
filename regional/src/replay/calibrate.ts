import { hasLargeRung, type RouterConfig, type Rung } from '@switchback/router-core';
import { type Classified, decideTraffic, withoutLadder, withThreshold } from './route-traffic.ts';
import { summarise } from './summarise.ts';

export type CalibrationTarget = { edgeShare: number } | { maxCostPer1k: number };

/** Labelled requests on the wrong side: the quality paid for a threshold. */
export type QualityTradeOff = {
  hardOnEdge: { count: number; of: number; rate: number };
  easyOnRegional: { count: number; of: number; rate: number };
};

export type CalibrationPoint = {
  regionalThreshold: number;
  edgeShare: number;
  /** Three ways: the fast edge models, the large edge model, regional. */
  rungShares: Record<Rung, number>;
  costPer1k: number;
  quality?: QualityTradeOff;
};

export type Calibration = {
  /** The threshold found, with what it does on the traffic; absent when the target is unreachable. */
  result: CalibrationPoint | undefined;
  /** Where the config stands now, for comparison. */
  current: CalibrationPoint;
  /** The config now with its edge ladder folded (every edge model fast); absent without a ladder. */
  currentWithoutLadder?: CalibrationPoint;
  /** The edge shares and costs any threshold can reach on this traffic (risk and hard limits fix the rest). */
  reachable: {
    minEdgeShare: number;
    maxEdgeShare: number;
    minCostPer1k: number;
    maxCostPer1k: number;
  };
};

const rate = (count: number, of: number) => ({
  count,
  of,
  rate: of === 0 ? 0 : Math.round((count / of) * 10_000) / 10_000,
});

const pointAt = (
  classified: readonly Classified[],
  config: RouterConfig,
  regionalThreshold: number,
): CalibrationPoint => {
  const candidate = withThreshold(config, regionalThreshold);
  const summary = summarise(candidate, decideTraffic(classified, candidate), 0);
  const c = summary.confusion;
  return {
    regionalThreshold,
    edgeShare: summary.tiers.edge.share,
    rungShares: {
      fast: summary.rungs.fast.share,
      large: summary.rungs.large.share,
      regional: summary.rungs.regional.share,
    },
    costPer1k: summary.costPer1k,
    ...(c === undefined
      ? {}
      : {
          quality: {
            hardOnEdge: rate(c.hard.edge, c.hard.edge + c.hard.regional),
            easyOnRegional: rate(c.easy.regional, c.easy.edge + c.easy.regional),
          },
        }),
  };
};

/**
 * Thresholds that route the same way on this traffic: between two adjacent scores nothing
 * changes, so each candidate is the midpoint of a gap (it generalises best to unseen traffic).
 */
const candidateThresholds = (classified: readonly Classified[]): number[] => {
  const scores = [
    ...new Set(
      // With a ladder the length-free score decides regional: its gaps are candidates too.
      classified.flatMap((c) =>
        c.classification === undefined
          ? []
          : [c.classification.score, c.classification.scoreWithoutLength ?? c.classification.score],
      ),
    ),
  ].sort((a, b) => a - b);
  const candidates = [0];
  for (let i = 1; i < scores.length; i++) {
    const low = scores[i - 1] ?? 0;
    const high = scores[i] ?? 1;
    candidates.push(Math.round(((low + high) / 2) * 100_000) / 100_000);
  }
  candidates.push(1);
  return [...new Set(candidates)];
};

/** Smallest index whose point satisfies `ok`, by bisection (`ok` is monotone in the threshold). */
const firstIndex = (n: number, ok: (i: number) => boolean): number => {
  let low = 0;
  let high = n;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (ok(mid)) high = mid;
    else low = mid + 1;
  }
  return low;
};

/**
 * The `classification.regionalThreshold` that hits the target on this traffic: the edge share
 * closest to the one asked, or the lowest threshold (most requests regional) within the cost.
 */
export const calibrate = (
  classified: readonly Classified[],
  config: RouterConfig,
  target: CalibrationTarget,
): Calibration => {
  const thresholds = candidateThresholds(classified);
  const cache = new Map<number, CalibrationPoint>();
  const at = (i: number): CalibrationPoint => {
    const threshold = thresholds[Math.min(Math.max(i, 0), thresholds.length - 1)] ?? 1;
    let point = cache.get(threshold);
    if (point === undefined) {
      point = pointAt(classified, config, threshold);
      cache.set(threshold, point);
    }
    return point;
  };
  const last = thresholds.length - 1;
  const lowest = at(0);
  const highest = at(last);
  const reachable = {
    minEdgeShare: lowest.edgeShare,
    maxEdgeShare: highest.edgeShare,
    minCostPer1k: Math.min(lowest.costPer1k, highest.costPer1k),
    maxCostPer1k: Math.max(lowest.costPer1k, highest.costPer1k),
  };
  const current = pointAt(classified, config, config.classification.regionalThreshold);

  let result: CalibrationPoint | undefined;
  if ('edgeShare' in target) {
    if (
      target.edgeShare >= lowest.edgeShare - 0.02 &&
      target.edgeShare <= highest.edgeShare + 0.02
    ) {
      const i = firstIndex(thresholds.length, (k) => at(k).edgeShare >= target.edgeShare);
      const above = at(i);
      const below = at(i - 1);
      result =
        Math.abs(below.edgeShare - target.edgeShare) < Math.abs(above.edgeShare - target.edgeShare)
          ? below
          : above;
    }
  } else {
    const i = firstIndex(thresholds.length, (k) => at(k).costPer1k <= target.maxCostPer1k);
    result = i <= last ? at(i) : undefined;
  }
  return {
    result,
    current,
    ...(hasLargeRung(config)
      ? {
          currentWithoutLadder: pointAt(
            classified,
            withoutLadder(config),
            config.classification.regionalThreshold,
          ),
        }
      : {}),
    reachable,
  };
};
