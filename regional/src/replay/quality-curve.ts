import type { RouterConfig } from '@switchback/router-core';
import { type Classified, decideTraffic, withThreshold } from './route-traffic.ts';
import { summarise } from './summarise.ts';

/** What one regional threshold does on labelled traffic: its cost side and its quality side. */
export type CurvePoint = {
  threshold: number;
  /** Routed requests sent regional, 0 to 1. */
  regionalShare: number;
  /** Routed requests labelled `hard` that go regional, 0 to 1. */
  hardRecall: number;
};

/** Thresholds 0, 0.01, …, 1 (101 of them), plus `extra` ones, ascending, without repeats. */
export const curveThresholds = (extra: readonly number[] = []): number[] =>
  [...new Set([...Array.from({ length: 101 }, (_, i) => i / 100), ...extra])].sort((a, b) => a - b);

/**
 * One point per threshold, ascending, each from deciding every classified record again under it
 * (so the risk policy, tenants' tiers and hard limits bend the curve as they bend routing);
 * `undefined` when no routed record is labelled `hard`. `onProgress` gets (done, total).
 */
export const qualityCurve = (
  classified: readonly Classified[],
  config: RouterConfig,
  thresholds: readonly number[],
  onProgress?: (done: number, total: number) => void,
): CurvePoint[] | undefined => {
  const points: CurvePoint[] = [];
  for (const [i, threshold] of thresholds.entries()) {
    onProgress?.(i, thresholds.length);
    const candidate = withThreshold(config, threshold);
    const summary = summarise(candidate, decideTraffic(classified, candidate), 0);
    const hard = summary.confusion?.hard;
    const hardRouted = hard === undefined ? 0 : hard.edge + hard.regional;
    if (hard === undefined || hardRouted === 0) return undefined;
    points.push({
      threshold,
      regionalShare: summary.routed === 0 ? 0 : summary.tiers.regional.count / summary.routed,
      hardRecall: hard.regional / hardRouted,
    });
  }
  onProgress?.(thresholds.length, thresholds.length);
  return points;
};

/**
 * Area under hard recall against regional share, by trapezoids, from (0, 0) to (1, 1): the ends
 * no threshold reaches (the risk policy keeps some traffic regional, hard limits some on the
 * edge) are closed with straight lines, so random routing scores 0.5 and a perfect split ~1.
 */
export const areaUnderCurve = (points: readonly CurvePoint[]): number => {
  const path = [
    { x: 0, y: 0 },
    ...points
      .map((p) => ({ x: p.regionalShare, y: p.hardRecall }))
      .sort((a, b) => a.x - b.x || a.y - b.y),
    { x: 1, y: 1 },
  ];
  let area = 0;
  for (let i = 1; i < path.length; i++) {
    const a = path[i - 1];
    const b = path[i];
    if (a !== undefined && b !== undefined) area += ((b.x - a.x) * (a.y + b.y)) / 2;
  }
  return area;
};
