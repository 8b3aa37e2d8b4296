import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { runInProcess } from './capture-io.ts';
import { REPO_ROOT } from './run-cli.ts';

const TRAIN = 'loadtests/data/traffic-train.jsonl';

/** The example config with another version and regional threshold, in a temp file. */
const candidate = async (threshold: number): Promise<string> => {
  const example = await readFile(`${REPO_ROOT}router.config.yaml`, 'utf8');
  const text = example
    .replace(/^version: .*$/m, 'version: "candidate"')
    .replace(/regionalThreshold: [\d.]+/, `regionalThreshold: ${threshold}`);
  const path = `${await mkdtemp(`${tmpdir()}/switchback-diff-`)}/candidate.yaml`;
  await writeFile(path, text);
  return path;
};

describe('switchback diff', () => {
  it('lists the requests a candidate routes differently, with counts and reasons on both sides', async () => {
    const result = await runInProcess([
      'diff',
      '--config',
      'router.config.yaml',
      '--candidate',
      await candidate(0.7),
      '--traffic',
      TRAIN,
      '--json',
    ]);
    expect(result.code).toBe(0);
    const diff = JSON.parse(result.out);
    expect(diff).toMatchObject({ config: '2026-11-23.1', candidate: 'candidate', requests: 3000 });
    expect(diff.changed).toBeGreaterThan(0);
    // A higher threshold only ever moves score-driven requests from regional to the edge, where
    // scores between it and largeThreshold are medium complexity: the large edge model's.
    expect(diff.transitions).toEqual([
      { from: 'regional/gpt', to: 'edge/kimi', count: diff.changed },
    ]);
    const [first] = diff.changes;
    expect(first.from.reasons).toContain('complex_prompt');
    expect(first.to.reasons.slice(0, 2)).toEqual(['edge_large', 'medium_complexity']);
    expect(first.from.score).toBeGreaterThanOrEqual(0.5);
    expect(first.from.score).toBeLessThan(0.7);
  });

  it('prints the counts and the first changes for people', async () => {
    const result = await runInProcess([
      'diff',
      '--config',
      'router.config.yaml',
      '--candidate',
      await candidate(0.7),
      '--traffic',
      TRAIN,
      '--limit',
      '2',
    ]);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(
      /^\d+ of 3000 requests route differently \(2026-11-23\.1 → candidate\)\n\s+\d+ {2}regional\/gpt → edge\/kimi\nfirst 2:\n/,
    );
    expect(result.out.match(/ {4}before: score /g)).toHaveLength(2);
  });

  it('finds nothing to report for the same config', async () => {
    const result = await runInProcess([
      'diff',
      '--config',
      'router.config.yaml',
      '--candidate',
      'router.config.yaml',
      '--traffic',
      TRAIN,
    ]);
    expect(result.code).toBe(0);
    expect(result.out).toBe('0 of 3000 requests route differently (2026-11-23.1 → 2026-11-23.1)');
  });
});
