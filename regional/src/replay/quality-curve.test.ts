import { readFile } from 'node:fs/promises';
import {
  type Classification,
  chatCompletionRequestSchema,
  type RouterConfig,
} from '@switchback/router-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../cli/cli-io.ts';
import { loadConfigFile } from '../cli/load-config.ts';
import { REPO_ROOT } from '../cli/run-cli.ts';
import { areaUnderCurve, curveThresholds, qualityCurve } from './quality-curve.ts';
import type { Classified } from './route-traffic.ts';
import type { Label } from './traffic.ts';

const io: CliIo = {
  out() {},
  err() {},
  readStdin: async () => '',
  readFile: (path) => readFile(`${REPO_ROOT}${path}`, 'utf8'),
};

let config: RouterConfig;
beforeAll(async () => {
  const loaded = await loadConfigFile(io, 'router.config.yaml');
  if (!loaded.ok) throw new Error('the example config is invalid');
  config = loaded.config;
});

const request = chatCompletionRequestSchema.parse({
  model: 'auto',
  messages: [{ role: 'user', content: 'hand-made' }],
});

/** A record classified by hand: the curve only sees the score, the risk and the label. */
const scored = (
  line: number,
  score: number,
  label: Label | undefined,
  risk: Classification['risk'] = 'low',
): Classified => ({
  record: { line, request, tenant: 'demo', ...(label === undefined ? {} : { label }) },
  tenant: config.tenants.find((t) => t.id === 'demo'),
  classification: { score, contributions: {}, estimatedTokens: 12, risk, context: 'short' },
  request,
});

// Three hard (one high-risk, which the example config's risk policy always sends regional),
// two easy (one scored above a hard one), one unlabelled: six routed requests.
const handMade = () => [
  scored(1, 0.9, 'hard'),
  scored(2, 0.6, 'hard'),
  scored(3, 0.7, 'easy'),
  scored(4, 0.2, 'easy'),
  scored(5, 0.1, 'hard', 'high'),
  scored(6, 0.5, undefined),
];

describe('quality curve', () => {
  it.each([
    { threshold: 0, regionalShare: 6 / 6, hardRecall: 3 / 3 },
    { threshold: 0.5, regionalShare: 5 / 6, hardRecall: 3 / 3 },
    { threshold: 0.65, regionalShare: 3 / 6, hardRecall: 2 / 3 },
    { threshold: 0.8, regionalShare: 2 / 6, hardRecall: 2 / 3 },
    { threshold: 1, regionalShare: 1 / 6, hardRecall: 1 / 3 },
  ])(
    'at threshold $threshold, $regionalShare of requests and $hardRecall of hard ones go regional',
    (expected) => {
      expect(qualityCurve(handMade(), config, [expected.threshold])).toEqual([expected]);
    },
  );

  it('gives one point per threshold, in the order given', () => {
    const points = qualityCurve(handMade(), config, [0, 0.5, 0.65, 0.8, 1]);
    expect(points?.map((p) => p.threshold)).toEqual([0, 0.5, 0.65, 0.8, 1]);
  });

  it('has no curve when no routed request is labelled hard', () => {
    const unlabelled = [scored(1, 0.9, 'easy'), scored(2, 0.3, undefined)];
    expect(qualityCurve(unlabelled, config, [0, 1])).toBeUndefined();
  });

  it('sweeps 0 to 1 in hundredths, with the chosen threshold in its place', () => {
    const thresholds = curveThresholds([0.43215, 0.5]);
    expect(thresholds).toHaveLength(102);
    expect(thresholds.slice(42, 46)).toEqual([0.42, 0.43, 0.43215, 0.44]);
    expect(thresholds[0]).toBe(0);
    expect(thresholds.at(-1)).toBe(1);
  });

  it.each([
    {
      name: 'the hand-made curve',
      points: () => qualityCurve(handMade(), config, [0, 0.5, 0.65, 0.8, 1]) ?? [],
      auc: 2 / 3,
    },
    {
      name: 'random routing',
      points: () =>
        [0.25, 0.5, 0.75].map((x) => ({ threshold: x, regionalShare: x, hardRecall: x })),
      auc: 0.5,
    },
    {
      name: 'a perfect split at 30 % regional',
      points: () => [{ threshold: 0.5, regionalShare: 0.3, hardRecall: 1 }],
      auc: 0.85,
    },
  ])('the area under $name is $auc', ({ points, auc }) => {
    expect(areaUnderCurve(points())).toBeCloseTo(auc, 12);
  });
});
