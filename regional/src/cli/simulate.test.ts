import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { sessionTraffic } from '../../../router-core/test/compaction/mixed-traffic.ts';
import { runInProcess } from './capture-io.ts';
import { progressBar } from './progress-bar.ts';
import { REPO_ROOT } from './run-cli.ts';

const TRAIN = 'loadtests/data/traffic-train.jsonl';

describe('switchback simulate', () => {
  it('reports tier and model shares, cost, context mix, budget risk and the confusion matrix as JSON', async () => {
    const result = await runInProcess([
      'simulate',
      '--config',
      'router.config.yaml',
      '--traffic',
      TRAIN,
      '--json',
    ]);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.out);
    expect(summary.requests).toBe(3000);
    expect(summary.routed).toBe(3000);
    expect(summary.tiers.edge.count + summary.tiers.regional.count).toBe(3000);
    expect(Object.keys(summary.models).sort()).toEqual(['glm-flash', 'gpt', 'kimi']);
    // Three ways: the ladder's large rung takes medium complexity; the regional share is the
    // two-tier router's (these prompts are short: length never made them hard).
    const { fast, large, regional } = summary.rungs;
    expect(fast.count + large.count + regional.count).toBe(3000);
    expect(large.count).toBe(summary.models.kimi.count);
    expect(summary.withoutLadder.rungs.large.count).toBe(0);
    expect(summary.withoutLadder.rungs.regional.count).toBe(regional.count);
    expect(summary.withoutLadder.costPer1k).toBeLessThan(summary.costPer1k);
    expect(summary.context.short.count + summary.context.medium.count).toBe(3000);
    expect(summary.context.medium.count).toBeGreaterThan(0);
    expect(summary.costPer1k).toBeGreaterThan(0);
    // Medium-context chat requests cannot prefill within chat's 1 s TTFT budget.
    expect(summary.atRisk.count).toBeGreaterThan(0);
    expect(summary.atRisk.examples[0]).toMatchObject({ workflow: 'chat', exceeds: ['ttft'] });
    const c = summary.confusion;
    expect(c.easy.edge + c.easy.regional + c.hard.edge + c.hard.regional).toBe(3000);
    // The classifier gets most of this labelled traffic right. It is the project's own synthetic
    // traffic (written with the cue words of the rules the learned model replaced): a smoke test,
    // measured at 71 % of hard requests regional; public held-out sources: data/SOURCES.md.
    expect(c.easy.edge / (c.easy.edge + c.easy.regional)).toBeGreaterThan(0.9);
    expect(c.hard.regional / (c.hard.edge + c.hard.regional)).toBeGreaterThan(0.65);
    expect(summary.assumptions[0]).toMatch(/^completion length: 300 tokens/);
  });

  it('reports the share per rung and the cost per 1,000 with and without the ladder and compaction, on mixed traffic', async () => {
    const dir = await mkdtemp(`${tmpdir()}/switchback-mixed-`);
    const file = `${dir}/mixed.jsonl`;
    const train = (await readFile(`${REPO_ROOT}${TRAIN}`, 'utf8')).trim();
    const sessions = sessionTraffic().map((line) => JSON.stringify({ ...line, tenant: 'demo' }));
    await writeFile(file, `${train}\n${sessions.join('\n')}\n`);
    const result = await runInProcess([
      'simulate',
      '--config',
      'router.config.yaml',
      '--traffic',
      file,
      '--compaction',
      'all',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const s = JSON.parse(result.out);
    expect([s.requests, s.compaction]).toEqual([3000 + sessions.length, 'all']);
    const cost = [s, s.withoutLadder, s.withoutCompaction, s.withoutEither].map((v) => v.costPer1k);
    // Each lever pays on this traffic, and the two together pay most.
    expect(cost[0]).toBeLessThan(cost[1]);
    expect(cost[0]).toBeLessThan(cost[2]);
    expect(cost[1]).toBeLessThan(cost[3]);
    expect(cost[2]).toBeLessThan(cost[3]);
    for (const v of [s, s.withoutLadder, s.withoutCompaction, s.withoutEither]) {
      expect(v.rungs.fast.count + v.rungs.large.count + v.rungs.regional.count).toBe(s.routed);
    }
    expect(s.rungs.large.count).toBeGreaterThan(0);
    expect(s.withoutLadder.rungs.large.count).toBe(0);
    // Checkpointed, long chats no longer escalate for their length.
    expect(s.rungs.regional.count).toBeLessThan(s.withoutCompaction.rungs.regional.count);
  });

  it('prints the same figures for people, with the assumptions behind them', async () => {
    const json = JSON.parse(
      (
        await runInProcess([
          'simulate',
          '--config',
          'router.config.yaml',
          '--traffic',
          TRAIN,
          '--json',
        ])
      ).out,
    );
    const result = await runInProcess([
      'simulate',
      '--config',
      'router.config.yaml',
      '--traffic',
      TRAIN,
    ]);
    expect(result.code).toBe(0);
    expect(result.out).toContain(`${TRAIN}: 3000 requests, 3000 routed`);
    expect(result.out).toContain(
      `predicted cost: $${json.costPer1k.toFixed(4)} per 1,000 requests`,
    );
    expect(result.out).toContain(`at risk of budget breach: ${json.atRisk.count}`);
    expect(result.out).toMatch(
      /confusion \(label × tier\):\n\s+edge regional\n\s+easy\s+\d+\s+\d+/,
    );
    expect(result.out).toContain('assumptions:');
  });

  it('skips invalid lines, says which, and replays the rest', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(`${tmpdir()}/switchback-simulate-`);
    const file = `${dir}/traffic.jsonl`;
    await writeFile(
      file,
      [
        '{"request":{"model":"auto","messages":[{"role":"user","content":"hi"}]}}',
        'not json',
        '{"request":{"model":"auto","messages":[]}}',
        '{"request":{"model":"auto","messages":[{"role":"user","content":"hi"}]},"tenant":"nobody"}',
      ].join('\n'),
    );
    const result = await runInProcess([
      'simulate',
      '--config',
      'router.config.yaml',
      '--traffic',
      file,
      '--json',
    ]);
    expect(result.code).toBe(0);
    expect(result.err).toContain('skipped 2 invalid line(s)');
    expect(result.err).toContain('line 2: not JSON');
    const summary = JSON.parse(result.out);
    expect(summary).toMatchObject({ requests: 2, routed: 1, refused: { unknown_tenant: 1 } });
    expect(summary.confusion).toBeUndefined();
  });

  it('replays a file of bare OpenAI request bodies exactly as the same requests in records', async () => {
    const { mkdtemp, readFile, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(`${tmpdir()}/switchback-simulate-`);
    const requests = (await readFile(TRAIN, 'utf8'))
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.stringify(JSON.parse(line).request));
    await writeFile(`${dir}/bodies.jsonl`, requests.join('\n'));
    await writeFile(
      `${dir}/records.jsonl`,
      requests.map((body) => `{"request":${body}}`).join('\n'),
    );
    const simulate = (file: string) =>
      runInProcess(['simulate', '--config', 'router.config.yaml', '--traffic', file, '--json']);
    const bodies = await simulate(`${dir}/bodies.jsonl`);
    const records = await simulate(`${dir}/records.jsonl`);
    expect(bodies.err).toBe('');
    expect(bodies.code).toBe(0);
    expect(JSON.parse(bodies.out)).toMatchObject({ requests: 3000, routed: 3000 });
    expect(JSON.parse(bodies.out)).toEqual(JSON.parse(records.out));
  });

  it('says why a line is neither a request body nor a record', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(`${tmpdir()}/switchback-simulate-`);
    const file = `${dir}/traffic.jsonl`;
    await writeFile(
      file,
      [
        '{"model":"auto","messages":[{"role":"user","content":"hi"}]}',
        '{"model":"auto","messages":[{"role":"robot","content":"hi"}]}',
        '{"model":"auto","prompt":"hi"}',
      ].join('\n'),
    );
    const result = await runInProcess([
      'simulate',
      '--config',
      'router.config.yaml',
      '--traffic',
      file,
      '--json',
    ]);
    expect(result.code).toBe(0);
    expect(result.err.split('\n')).toEqual([
      `${file}: skipped 2 invalid line(s):`,
      "  line 2: messages[0].role: Invalid discriminator value. Expected 'system' | 'developer' | 'user' | 'assistant' | 'tool'",
      '  line 3: neither an OpenAI request body (no "messages") nor a {request, tenant?, workflow?, label?} record',
    ]);
    expect(JSON.parse(result.out)).toMatchObject({ requests: 1, routed: 1 });
  });

  it('is listed in help with calibrate and diff', async () => {
    const result = await runInProcess(['help']);
    expect(result.out).toContain(
      'switchback simulate --config <file> --traffic <jsonl> [--compaction configured|all|off] [--json]',
    );
    expect(result.out).toContain('switchback calibrate --config <file> --traffic <jsonl>');
    expect(result.out).toContain('switchback diff --config <a.yaml> --candidate <b.yaml>');
  });

  it('refuses to run without --traffic', async () => {
    const result = await runInProcess(['simulate', '--config', 'router.config.yaml']);
    expect(result.code).toBe(2);
    expect(result.err).toContain('usage: switchback simulate');
  });
});

describe('the progress bar', () => {
  it('draws only on a terminal', () => {
    const written: string[] = [];
    const pipe = { isTTY: false, write: (text: string) => written.push(text) };
    progressBar('routing', pipe).update(1, 2);
    expect(written).toEqual([]);
    const tty = { isTTY: true, write: (text: string) => written.push(text) };
    const bar = progressBar('routing', tty);
    bar.update(1, 2);
    bar.update(1, 2);
    bar.done();
    expect(written).toEqual([
      `\rrouting [${'#'.repeat(15)}${'.'.repeat(15)}] 50% (1/2)`,
      '\r\x1b[2K',
    ]);
  });
});
