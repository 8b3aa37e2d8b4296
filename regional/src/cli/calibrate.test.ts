import { access, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
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
      /^target: threshold 0\.\d+: edge share 60\.0% \(fast \d+\.\d%, large \d+\.\d%, regional 40\.0%\), \$\d+\.\d{4} per 1,000 requests; hard on edge \d+\.\d% \(\d+\/1216\), easy on regional \d+\.\d% \(\d+\/1784\)$/m,
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

  describe('--plot', () => {
    const tempDir = () => mkdtemp(`${tmpdir()}/switchback-calibrate-`);

    /** Whether every tag opened is closed in order under one root (the SVG parses as XML). */
    const wellFormed = (xml: string): boolean => {
      const open: string[] = [];
      let roots = 0;
      for (const [tag] of xml.matchAll(/<[^>]*>/g)) {
        const name = /^<\/?([\w:-]+)/.exec(tag)?.[1];
        if (name === undefined) return false;
        if (tag.startsWith('</')) {
          if (open.pop() !== name) return false;
        } else {
          if (open.length === 0) roots++;
          if (!tag.endsWith('/>')) open.push(name);
        }
      }
      const strayAmpersand = /&(?!(amp|lt|gt|quot|apos);)/.test(xml);
      return open.length === 0 && roots === 1 && !strayAmpersand;
    };

    // Two runs, each classifying 3,000 requests and replaying them at 102 thresholds.
    it('draws the quality curve of the train traffic with the chosen threshold marked', {
      timeout: 30_000,
    }, async () => {
      const file = `${await tempDir()}/curve.svg`;
      const args = ['calibrate', '--config', 'router.config.yaml', '--traffic', TRAIN];
      const json = await runInProcess([...args, '--edge-share', '0.6', '--plot', file, '--json']);
      expect(json.code).toBe(0);
      const calibration = JSON.parse(json.out);
      const svg = await readFile(file, 'utf8');

      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(wellFormed(svg)).toBe(true);
      expect(svg).toContain(
        'Hard-prompt recall vs regional share: loadtests/data/traffic-train.jsonl',
      );
      expect(svg).toContain('3,000 labelled records (1,216 hard)');
      // 0, 0.01, …, 1 and the chosen threshold, which sits between two hundredths.
      const { regionalThreshold, edgeShare, quality } = calibration.result;
      expect(Number.isInteger(Math.round(regionalThreshold * 100_000) / 1_000)).toBe(false);
      const curve = /<polyline points="([^"]*)"[^>]*class="curve"/.exec(svg)?.[1];
      expect(curve?.split(' ')).toHaveLength(102);
      expect(curve?.split(' ').every((xy) => /^\d+(\.\d)?,\d+(\.\d)?$/.test(xy))).toBe(true);

      const label = new RegExp(
        `>threshold ${regionalThreshold} · (\\d+) % regional · (\\d+) % hard recall</text>`,
      ).exec(svg);
      expect(label).not.toBeNull();
      const [regional, recall] = [Number(label?.[1]), Number(label?.[2])];
      // The label rounds the exact shares; the JSON's edge share is itself rounded to 0.01 %.
      expect(Math.abs(regional - (1 - edgeShare) * 100)).toBeLessThanOrEqual(0.51);
      const hard = quality.hardOnEdge;
      expect(recall).toBe(Math.round(((hard.of - hard.count) / hard.of) * 100));

      expect(calibration.plot).toBe(file);
      expect(calibration.auc).toBeGreaterThan(0);
      expect(calibration.auc).toBeLessThanOrEqual(1);
      expect(svg).toContain(`area under the curve ${calibration.auc.toFixed(3)} (random 0.500)`);

      const text = await runInProcess([...args, '--edge-share', '0.6', '--plot', file]);
      expect(text.code).toBe(0);
      expect(text.out).toContain(
        `\nplot:   ${file} (102 thresholds): area under hard recall against regional share ${calibration.auc.toFixed(3)} (random routing 0.500)\n\n# config patch`,
      );
    });

    it('fails with one line, and writes nothing, on traffic without hard-labelled requests', async () => {
      const dir = await tempDir();
      const request = { model: 'auto', messages: [{ role: 'user', content: 'hi' }] };
      const lines = [{ request, label: 'easy' }, { request }].map((r) => JSON.stringify(r));
      await writeFile(`${dir}/easy.jsonl`, lines.join('\n'));
      const result = await runInProcess([
        'calibrate',
        '--config',
        'router.config.yaml',
        '--traffic',
        `${dir}/easy.jsonl`,
        '--edge-share',
        '0.5',
        '--plot',
        `${dir}/curve.svg`,
      ]);
      expect(result.code).toBe(1);
      expect(result.err).toBe(
        `--plot needs labelled traffic: no request in ${dir}/easy.jsonl is labelled "hard" (records carry "label": "hard" | "easy")`,
      );
      expect(result.out).toBe('');
      await expect(access(`${dir}/curve.svg`)).rejects.toThrow();
    });
  });
});
