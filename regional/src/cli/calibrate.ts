import { parseArgs } from 'node:util';
import {
  type Calibration,
  type CalibrationPoint,
  type CalibrationTarget,
  calibrate,
} from '../replay/calibrate.ts';
import { classifyTraffic } from '../replay/route-traffic.ts';
import type { CliIo } from './cli-io.ts';
import { type ProgressStream, progressBar } from './progress-bar.ts';
import { loadReplayConfig, loadTraffic, parseReplayArgs, percent } from './replay-input.ts';

export const CALIBRATE_USAGE =
  'switchback calibrate --config <file> --traffic <jsonl> (--edge-share 0.6 | --max-cost <usd per 1k>) [--json]';

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
  return `threshold ${p.regionalThreshold}: edge share ${percent(p.edgeShare)}, $${p.costPer1k.toFixed(4)} per 1,000 requests${quality}`;
};

const report = (calibration: Calibration, target: CalibrationTarget, traffic: string): string[] => {
  const { result, current, reachable } = calibration;
  const goal =
    'edgeShare' in target
      ? `edge share ${percent(target.edgeShare)}`
      : `at most $${target.maxCostPer1k} per 1,000 requests`;
  const lines = [`now:    ${describePoint(current)}`];
  if (result === undefined) {
    lines.push(
      `no threshold reaches ${goal} on ${traffic}: any threshold gives an edge share from ${percent(reachable.minEdgeShare)} to ${percent(reachable.maxEdgeShare)} and $${reachable.minCostPer1k.toFixed(4)} to $${reachable.maxCostPer1k.toFixed(4)} per 1,000 (risk policy, tenants' tiers, explicit models and context windows fix the rest)`,
    );
    return lines;
  }
  lines.push(
    `target: ${describePoint(result)}`,
    '',
    `# config patch (switchback calibrate, ${goal} on ${traffic})`,
    'classification:',
    `  regionalThreshold: ${result.regionalThreshold}`,
  );
  return lines;
};

/**
 * `switchback calibrate`: the `classification.regionalThreshold` that gives the asked edge share
 * (or the most regional traffic within a cost) on recorded traffic, printed as a config patch,
 * with the quality paid for it where the traffic is labelled. Exit 1 when no threshold reaches it.
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

  const progress = progressBar('classifying', stderr);
  const classified = classifyTraffic(records, config, progress.update);
  progress.done();
  const calibration = calibrate(classified, config, target);
  if (values.json) io.out(JSON.stringify({ target, ...calibration }, null, 2));
  else for (const line of report(calibration, target, values.traffic)) io.out(line);
  return calibration.result === undefined ? 1 : 0;
};
