import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { routeTraffic, withThreshold } from '../replay/route-traffic.ts';
import { summarise } from '../replay/summarise.ts';
import { parseTraffic } from '../replay/traffic.ts';
import { runInProcess } from './capture-io.ts';
import type { CliIo } from './cli-io.ts';
import { loadConfigFile } from './load-config.ts';
import { REPO_ROOT } from './run-cli.ts';

const TRAIN = 'loadtests/data/traffic-train.jsonl';
const HOLDOUT = 'loadtests/data/traffic-holdout.jsonl';
const read = (path: string) => readFile(`${REPO_ROOT}${path}`, 'utf8');
const io: CliIo = { out() {}, err() {}, readStdin: async () => '', readFile: read };

const exampleConfig = async () => {
  const loaded = await loadConfigFile(io, 'router.config.yaml');
  if (!loaded.ok) throw new Error('the example config is invalid');
  return loaded.config;
};

const edgeShareOnHoldout = async (regionalThreshold: number): Promise<number> => {
  const config = withThreshold(await exampleConfig(), regionalThreshold);
  const { records } = parseTraffic(await read(HOLDOUT));
  return summarise(config, routeTraffic(records, config)).tiers.edge.share;
};

const calibrateOnTrain = async (target: string[]) => {
  const result = await runInProcess([
    'calibrate',
    '--config',
    'router.config.yaml',
    '--traffic',
    TRAIN,
    ...target,
    '--json',
  ]);
  expect(result.code).toBe(0);
  return JSON.parse(result.out);
};

describe('switchback calibrate', () => {
  it.each([0.6, 0.7])(
    'a threshold calibrated on train for edge share %s lands within 2 points on holdout',
    async (share) => {
      const calibration = await calibrateOnTrain(['--edge-share', String(share)]);
      expect(Math.abs(calibration.result.edgeShare - share)).toBeLessThanOrEqual(0.005);
      const holdout = await edgeShareOnHoldout(calibration.result.regionalThreshold);
      expect(Math.abs(holdout - share)).toBeLessThanOrEqual(0.02);
    },
  );

  it('prints a config patch with the quality trade-off of the labelled traffic', async () => {
    const result = await runInProcess([
      'calibrate',
      '--config',
      'router.config.yaml',
      '--traffic',
      TRAIN,
      '--edge-share',
      '0.6',
    ]);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(
      /^target: threshold 0\.\d+: edge share 60\.0%, \$\d+\.\d{4} per 1,000 requests; hard on edge \d+\.\d% \(\d+\/1216\), easy on regional \d+\.\d% \(\d+\/1784\)$/m,
    );
    expect(result.out).toMatch(/\nclassification:\n {2}regionalThreshold: 0\.\d+$/);
  });

  it('under a cost ceiling, keeps as much traffic regional as the ceiling allows', async () => {
    const calibration = await calibrateOnTrain(['--max-cost', '0.9']);
    expect(calibration.result.costPer1k).toBeLessThanOrEqual(0.9);
    // A slightly lower threshold (more regional) would cost more than the ceiling.
    const lower = calibration.result.regionalThreshold - 0.01;
    const config = withThreshold(await exampleConfig(), lower);
    const { records } = parseTraffic(await read(TRAIN));
    expect(summarise(config, routeTraffic(records, config)).costPer1k).toBeGreaterThan(0.9);
  });

  it('says so, and exits 1, when no threshold reaches the target', async () => {
    const result = await runInProcess([
      'calibrate',
      '--config',
      'router.config.yaml',
      '--traffic',
      TRAIN,
      '--edge-share',
      '1',
    ]);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/no threshold reaches edge share 100\.0%/);
  });

  it('asks for exactly one target', async () => {
    const result = await runInProcess([
      'calibrate',
      '--config',
      'router.config.yaml',
      '--traffic',
      TRAIN,
    ]);
    expect(result.code).toBe(2);
    expect(result.err).toContain('give exactly one of --edge-share and --max-cost');
  });
});
