import { parseArgs } from 'node:util';
import { hasLargeRung } from '@switchback/router-core';
import { describeAssumptions } from '../replay/assumptions.ts';
import {
  type Classified,
  classifyTraffic,
  decideTraffic,
  type ReplayCompaction,
  withoutLadder,
} from '../replay/route-traffic.ts';
import { type ReplaySummary, summarise } from '../replay/summarise.ts';
import type { CliIo } from './cli-io.ts';
import { type ProgressStream, progressBar } from './progress-bar.ts';
import { loadReplayConfig, loadTraffic, parseReplayArgs, percent } from './replay-input.ts';

export const SIMULATE_USAGE =
  'switchback simulate --config <file> --traffic <jsonl> [--compaction configured|all|off] [--json]';

const COMPACTION_MODES: readonly ReplayCompaction[] = ['configured', 'all', 'off'];

const table = (entries: Record<string, { count: number; share: number }>): string[] =>
  Object.entries(entries).map(
    ([name, { count, share }]) =>
      `  ${name.padEnd(12)} ${String(count).padStart(7)}  ${percent(share).padStart(6)}`,
  );

/** The same traffic another way (two tiers, no compaction): what the ladder and compaction change. */
export type Comparison = Pick<ReplaySummary, 'rungs' | 'tiers' | 'costPer1k'>;

/** The variants a replay is compared with; each absent when it would be the replay itself. */
export type Comparisons = {
  withoutLadder?: Comparison;
  withoutCompaction?: Comparison;
  withoutEither?: Comparison;
};

const comparisonOf = ({ rungs, tiers, costPer1k }: ReplaySummary): Comparison => ({
  rungs,
  tiers,
  costPer1k,
});

/** The human-readable report of a replay. */
export const formatSummary = (
  summary: ReplaySummary,
  source: string,
  comparisons: Comparisons = {},
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
  const variants: [string, Comparison | undefined][] = [
    ['without the edge ladder', comparisons.withoutLadder],
    ['without compaction', comparisons.withoutCompaction],
    ['without either', comparisons.withoutEither],
  ];
  for (const [name, w] of variants) {
    if (w === undefined) continue;
    lines.push(
      `${name}: $${w.costPer1k.toFixed(4)} per 1,000 requests (fast ${percent(w.rungs.fast.share)}, large ${percent(w.rungs.large.share)}, regional ${percent(w.rungs.regional.share)})`,
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
        compaction: { type: 'string' },
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
  const mode = (values.compaction ?? 'configured') as ReplayCompaction;
  if (!COMPACTION_MODES.includes(mode)) {
    io.err(`--compaction must be one of ${COMPACTION_MODES.join(', ')}\nusage: ${SIMULATE_USAGE}`);
    return 2;
  }
  const config = await loadReplayConfig(io, values.config);
  if (config === undefined) return 1;
  const records = await loadTraffic(io, values.traffic, stderr);
  if (records === undefined) return 1;

  const progress = progressBar('routing', stderr);
  const classified = classifyTraffic(records, config, progress.update, mode);
  const summary = summarise(config, decideTraffic(classified, config));
  // Classification does not depend on the route, so the two-tier replays reuse it.
  const twoTier = withoutLadder(config);
  const ladder = hasLargeRung(config);
  const compacted = classified.some((c) => c.request !== c.record.request);
  const whole = compacted ? classifyTraffic(records, config, undefined, 'off') : classified;
  const variant = (on: readonly Classified[], routes: typeof config) =>
    comparisonOf(summarise(routes, decideTraffic(on, routes), 0));
  const comparisons: Comparisons = {
    ...(ladder ? { withoutLadder: variant(classified, twoTier) } : {}),
    ...(compacted ? { withoutCompaction: variant(whole, config) } : {}),
    ...(ladder && compacted ? { withoutEither: variant(whole, twoTier) } : {}),
  };
  progress.done();
  if (values.json)
    io.out(
      JSON.stringify(
        {
          config: config.version,
          compaction: mode,
          ...summary,
          ...comparisons,
          assumptions: describeAssumptions(),
        },
        null,
        2,
      ),
    );
  else for (const line of formatSummary(summary, values.traffic, comparisons)) io.out(line);
  return 0;
};
