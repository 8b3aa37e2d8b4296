import { parseArgs } from 'node:util';
import { hasLargeRung } from '@switchback/router-core';
import { describeAssumptions } from '../replay/assumptions.ts';
import { classifyTraffic, decideTraffic, withoutLadder } from '../replay/route-traffic.ts';
import { type ReplaySummary, summarise } from '../replay/summarise.ts';
import type { CliIo } from './cli-io.ts';
import { type ProgressStream, progressBar } from './progress-bar.ts';
import { loadReplayConfig, loadTraffic, parseReplayArgs, percent } from './replay-input.ts';

export const SIMULATE_USAGE = 'switchback simulate --config <file> --traffic <jsonl> [--json]';

const table = (entries: Record<string, { count: number; share: number }>): string[] =>
  Object.entries(entries).map(
    ([name, { count, share }]) =>
      `  ${name.padEnd(12)} ${String(count).padStart(7)}  ${percent(share).padStart(6)}`,
  );

/** The same traffic on the two-tier router: what the ladder changes. */
export type LadderComparison = Pick<ReplaySummary, 'rungs' | 'tiers' | 'costPer1k'>;

/** The human-readable report of a replay. */
export const formatSummary = (
  summary: ReplaySummary,
  source: string,
  withoutTheLadder?: LadderComparison,
): string[] => {
  const lines = [`${source}: ${summary.requests} requests, ${summary.routed} routed`];
  const refused = Object.entries(summary.refused);
  if (refused.length > 0)
    lines.push(`refused: ${refused.map(([code, n]) => `${code} ${n}`).join(', ')}`);
  lines.push('tiers:', ...table(summary.tiers));
  lines.push('rungs (fast edge, large edge, regional):', ...table(summary.rungs));
  lines.push('models (primary):', ...table(summary.models));
  lines.push('context:', ...table(summary.context));
  lines.push(`predicted cost: $${summary.costPer1k.toFixed(4)} per 1,000 requests`);
  if (withoutTheLadder !== undefined) {
    const w = withoutTheLadder;
    lines.push(
      `without the edge ladder: $${w.costPer1k.toFixed(4)} per 1,000 requests (fast ${percent(w.rungs.fast.share)}, large ${percent(w.rungs.large.share)}, regional ${percent(w.rungs.regional.share)})`,
    );
  }
  lines.push(
    `at risk of budget breach: ${summary.atRisk.count} (${percent(summary.atRisk.share)})`,
    ...summary.atRisk.examples.map(
      (r) =>
        `  line ${r.line}: ${r.workflow} on ${r.tier}, ~${r.estimatedTokens} prompt tokens, predicted TTFT ${r.predictedTtftMs} ms / total ${r.predictedTotalMs} ms exceeds ${r.exceeds.join(' and ')}`,
    ),
  );
  const c = summary.confusion;
  if (c !== undefined) {
    lines.push(
      'confusion (label × tier):',
      `  ${''.padEnd(6)} ${'edge'.padStart(8)} ${'regional'.padStart(8)}`,
      `  ${'easy'.padEnd(6)} ${String(c.easy.edge).padStart(8)} ${String(c.easy.regional).padStart(8)}`,
      `  ${'hard'.padEnd(6)} ${String(c.hard.edge).padStart(8)} ${String(c.hard.regional).padStart(8)}`,
    );
  }
  lines.push('assumptions:', ...describeAssumptions().map((a) => `  ${a}`));
  return lines;
};

/**
 * `switchback simulate`: replays recorded traffic through classify and decide, offline, and
 * prints tier and model shares, predicted cost, context mix, budget risk and (with labels) the
 * confusion matrix. A progress bar is drawn on stderr when it is a terminal.
 */
export const simulateCommand = async (
  args: readonly string[],
  io: CliIo,
  stderr: ProgressStream | undefined = process.stderr,
): Promise<number> => {
  const parsed = parseReplayArgs(io, SIMULATE_USAGE, () =>
    parseArgs({
      args: [...args],
      options: {
        config: { type: 'string' },
        traffic: { type: 'string' },
        json: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }),
  );
  if (parsed === undefined) return 2;
  const { values } = parsed;
  if (values.config === undefined || values.traffic === undefined) {
    io.err(`missing --config or --traffic\nusage: ${SIMULATE_USAGE}`);
    return 2;
  }
  const config = await loadReplayConfig(io, values.config);
  if (config === undefined) return 1;
  const records = await loadTraffic(io, values.traffic, stderr);
  if (records === undefined) return 1;

  const progress = progressBar('routing', stderr);
  const classified = classifyTraffic(records, config, progress.update);
  const summary = summarise(config, decideTraffic(classified, config));
  // Classification does not depend on the route, so the two-tier replay reuses it.
  const twoTier = withoutLadder(config);
  const comparison: LadderComparison | undefined = hasLargeRung(config)
    ? (({ rungs, tiers, costPer1k }) => ({ rungs, tiers, costPer1k }))(
        summarise(twoTier, decideTraffic(classified, twoTier), 0),
      )
    : undefined;
  progress.done();
  if (values.json)
    io.out(
      JSON.stringify(
        {
          config: config.version,
          ...summary,
          ...(comparison === undefined ? {} : { withoutLadder: comparison }),
          assumptions: describeAssumptions(),
        },
        null,
        2,
      ),
    );
  else for (const line of formatSummary(summary, values.traffic, comparison)) io.out(line);
  return 0;
};
