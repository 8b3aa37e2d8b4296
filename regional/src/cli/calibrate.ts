import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { RouterConfig } from '@switchback/router-core';
import {
  type Calibration,
  type CalibrationPoint,
  type CalibrationTarget,
  calibrate,
} from '../replay/calibrate.ts';
import {
  areaUnderCurve,
  type CurvePoint,
  curveThresholds,
  qualityCurve,
} from '../replay/quality-curve.ts';
import { type Classified, classifyTraffic } from '../replay/route-traffic.ts';
import type { TrafficRecord } from '../replay/traffic.ts';
import type { CliIo } from './cli-io.ts';
import { type ProgressStream, progressBar } from './progress-bar.ts';
import { qualityCurveSvg } from './quality-curve-svg.ts';
import { loadReplayConfig, loadTraffic, parseReplayArgs, percent } from './replay-input.ts';

export const CALIBRATE_USAGE =
  'switchback calibrate --config <file> --traffic <jsonl> (--edge-share 0.6 | --max-cost <usd per 1k>) [--plot <file.svg>] [--json]';

const targetOf = (edgeShare?: string, maxCost?: string): CalibrationTarget | string => {
  if ((edgeShare === undefined) === (maxCost === undefined))
    return 'give exactly one of --edge-share and --max-cost';
  if (edgeShare !== undefined) {
    const share = Number(edgeShare);
    return Number.isFinite(share) && share >= 0 && share <= 1
      ? { edgeShare: share }
      : `--edge-share must be a number from 0 to 1, got "${edgeShare}"`;
  }
  const cost = Number(maxCost);
  return Number.isFinite(cost) && cost >= 0
    ? { maxCostPer1k: cost }
    : `--max-cost must be USD per 1,000 requests (a number >= 0), got "${maxCost}"`;
};

const describePoint = (p: CalibrationPoint): string => {
  const q = p.quality;
  const quality =
    q === undefined
      ? ''
      : `; hard on edge ${percent(q.hardOnEdge.rate)} (${q.hardOnEdge.count}/${q.hardOnEdge.of}), easy on regional ${percent(q.easyOnRegional.rate)} (${q.easyOnRegional.count}/${q.easyOnRegional.of})`;
  const r = p.rungShares;
  return `threshold ${p.regionalThreshold}: edge share ${percent(p.edgeShare)} (fast ${percent(r.fast)}, large ${percent(r.large)}, regional ${percent(r.regional)}), $${p.costPer1k.toFixed(4)} per 1,000 requests${quality}`;
};

const goalOf = (target: CalibrationTarget): string =>
  'edgeShare' in target
    ? `edge share ${percent(target.edgeShare)}`
    : `at most $${target.maxCostPer1k} per 1,000 requests`;

/** What `--plot` drew, and the area under it. */
type Plotted = { file: string; thresholds: number; auc: number };

const describePlot = (plot: Plotted): string =>
  `plot:   ${plot.file} (${plot.thresholds} thresholds): area under hard recall against regional share ${plot.auc.toFixed(3)} (random routing 0.500)`;

const report = (
  calibration: Calibration,
  target: CalibrationTarget,
  traffic: string,
  plot: Plotted | undefined,
): string[] => {
  const { result, current, reachable } = calibration;
  const goal = goalOf(target);
  const lines = [`now:    ${describePoint(current)}`];
  if (calibration.currentWithoutLadder !== undefined) {
    lines.push(`no ladder: ${describePoint(calibration.currentWithoutLadder)}`);
  }
  if (result === undefined) {
    lines.push(
      `no threshold reaches ${goal} on ${traffic}: any threshold gives an edge share from ${percent(reachable.minEdgeShare)} to ${percent(reachable.maxEdgeShare)} and $${reachable.minCostPer1k.toFixed(4)} to $${reachable.maxCostPer1k.toFixed(4)} per 1,000 (risk policy, tenants' tiers, explicit models and context windows fix the rest)`,
      ...(plot === undefined ? [] : [describePlot(plot)]),
    );
    return lines;
  }
  lines.push(
    `target: ${describePoint(result)}`,
    ...(plot === undefined ? [] : [describePlot(plot)]),
    '',
    `# config patch (switchback calibrate, ${goal} on ${traffic})`,
    'classification:',
    `  regionalThreshold: ${result.regionalThreshold}`,
  );
  return lines;
};

const needsLabels = (traffic: string) =>
  `--plot needs labelled traffic: no request in ${traffic} is labelled "hard" (records carry "label": "hard" | "easy")`;

/**
 * Writes the curve to `file`, over thresholds 0 to 1 in hundredths plus the one picked (so its
 * dot lies on the line): 101 replays whatever the traffic, where one per distinct score (1,003
 * on the 3,000-request train file, ~5 s) grows with the file and draws the same line at this scale.
 */
const plotCurve = async (
  file: string,
  records: readonly TrafficRecord[],
  classified: readonly Classified[],
  config: RouterConfig,
  calibration: Calibration,
  target: CalibrationTarget,
  traffic: string,
  stderr: ProgressStream | undefined,
): Promise<Plotted | string> => {
  const picked = calibration.result?.regionalThreshold;
  const progress = progressBar('plotting', stderr);
  const points = qualityCurve(
    classified,
    config,
    curveThresholds(picked === undefined ? [] : [picked]),
    progress.update,
  );
  progress.done();
  if (points === undefined) return needsLabels(traffic);
  // Rounded once, so the plot, the text and the JSON say the same figure.
  const auc = Math.round(areaUnderCurve(points) * 10_000) / 10_000;
  const chosen: CurvePoint | undefined = points.find((p) => p.threshold === picked);
  const labelled = records.filter((r) => r.label !== undefined).length;
  const hard = records.filter((r) => r.label === 'hard').length;
  const goal = goalOf(target);
  const svg = qualityCurveSvg({
    title: `Hard-prompt recall vs regional share: ${traffic}`,
    subtitle: `${labelled.toLocaleString('en-US')} labelled records (${hard.toLocaleString('en-US')} hard) · ${chosen === undefined ? `no threshold reaches ${goal}` : `red dot: the pick for ${goal}`}`,
    points,
    chosen,
    auc,
  });
  try {
    await writeFile(file, svg);
  } catch (error) {
    return `cannot write ${file}: ${error instanceof Error ? error.message : String(error)}`;
  }
  return { file, thresholds: points.length, auc };
};

/**
 * `switchback calibrate`: the `classification.regionalThreshold` that gives the asked edge share
 * (or the most regional traffic within a cost) on recorded traffic, printed as a config patch,
 * with the quality paid for it where the traffic is labelled; `--plot` draws hard recall against
 * regional share over the thresholds. Exit 1 when no threshold reaches the target.
 */
export const calibrateCommand = async (
  args: readonly string[],
  io: CliIo,
  stderr: ProgressStream | undefined = process.stderr,
): Promise<number> => {
  const parsed = parseReplayArgs(io, CALIBRATE_USAGE, () =>
    parseArgs({
      args: [...args],
      options: {
        config: { type: 'string' },
        traffic: { type: 'string' },
        'edge-share': { type: 'string' },
        'max-cost': { type: 'string' },
        plot: { type: 'string' },
        json: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }),
  );
  if (parsed === undefined) return 2;
  const { values } = parsed;
  if (values.config === undefined || values.traffic === undefined) {
    io.err(`missing --config or --traffic\nusage: ${CALIBRATE_USAGE}`);
    return 2;
  }
  const target = targetOf(values['edge-share'], values['max-cost']);
  if (typeof target === 'string') {
    io.err(`${target}\nusage: ${CALIBRATE_USAGE}`);
    return 2;
  }
  const config = await loadReplayConfig(io, values.config);
  if (config === undefined) return 1;
  const records = await loadTraffic(io, values.traffic, stderr);
  if (records === undefined) return 1;
  if (values.plot !== undefined && !records.some((r) => r.label === 'hard')) {
    io.err(needsLabels(values.traffic));
    return 1;
  }

  const progress = progressBar('classifying', stderr);
  const classified = classifyTraffic(records, config, progress.update);
  progress.done();
  const calibration = calibrate(classified, config, target);
  let plot: Plotted | undefined;
  if (values.plot !== undefined) {
    const plotted = await plotCurve(
      values.plot,
      records,
      classified,
      config,
      calibration,
      target,
      values.traffic,
      stderr,
    );
    if (typeof plotted === 'string') {
      io.err(plotted);
      return 1;
    }
    plot = plotted;
  }
  if (values.json) {
    const drawn = plot === undefined ? {} : { plot: plot.file, auc: plot.auc };
    io.out(JSON.stringify({ target, ...calibration, ...drawn }, null, 2));
  } else for (const line of report(calibration, target, values.traffic, plot)) io.out(line);
  return calibration.result === undefined ? 1 : 0;
};
