import { parseArgs } from 'node:util';
import { diffRoutes, type RouteChange } from '../replay/diff-routes.ts';
import { routeTraffic } from '../replay/route-traffic.ts';
import type { CliIo } from './cli-io.ts';
import { type ProgressStream, progressBar } from './progress-bar.ts';
import { loadReplayConfig, loadTraffic, parseReplayArgs } from './replay-input.ts';

export const DIFF_USAGE =
  'switchback diff --config <a.yaml> --candidate <b.yaml> --traffic <jsonl> [--limit N] [--json]';

const describeChange = (c: RouteChange): string[] => [
  `  line ${c.line} (${c.tenant}${c.workflow === undefined ? '' : `, ${c.workflow}`}${c.label === undefined ? '' : `, labelled ${c.label}`}): ${c.from.route} → ${c.to.route}`,
  `    before: score ${c.from.score}, ${c.from.reasons.join(', ')}`,
  `    after:  score ${c.to.score}, ${c.to.reasons.join(', ')}`,
];

/**
 * `switchback diff`: replays the traffic under the current config and a candidate and lists the
 * requests that would route differently (tier and primary model, or a refusal), with the reasons
 * on both sides and counts per change.
 */
export const diffCommand = async (
  args: readonly string[],
  io: CliIo,
  stderr: ProgressStream | undefined = process.stderr,
): Promise<number> => {
  const parsed = parseReplayArgs(io, DIFF_USAGE, () =>
    parseArgs({
      args: [...args],
      options: {
        config: { type: 'string' },
        candidate: { type: 'string' },
        traffic: { type: 'string' },
        limit: { type: 'string', default: '10' },
        json: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }),
  );
  if (parsed === undefined) return 2;
  const { values } = parsed;
  const limit = Number(values.limit);
  if (
    values.config === undefined ||
    values.candidate === undefined ||
    values.traffic === undefined ||
    !Number.isInteger(limit) ||
    limit < 0
  ) {
    io.err(`missing --config, --candidate or --traffic, or a bad --limit\nusage: ${DIFF_USAGE}`);
    return 2;
  }
  const current = await loadReplayConfig(io, values.config);
  if (current === undefined) return 1;
  const candidate = await loadReplayConfig(io, values.candidate);
  if (candidate === undefined) return 1;
  const records = await loadTraffic(io, values.traffic, stderr);
  if (records === undefined) return 1;

  const progress = progressBar('routing', stderr);
  const before = routeTraffic(records, current, (done, total) => progress.update(done, 2 * total));
  const after = routeTraffic(records, candidate, (done, total) =>
    progress.update(total + done, 2 * total),
  );
  progress.done();
  const diff = diffRoutes(before, after);
  if (values.json) {
    io.out(
      JSON.stringify({ config: current.version, candidate: candidate.version, ...diff }, null, 2),
    );
    return 0;
  }
  io.out(
    `${diff.changed} of ${diff.requests} requests route differently (${current.version} → ${candidate.version})`,
  );
  for (const t of diff.transitions) io.out(`  ${String(t.count).padStart(6)}  ${t.from} → ${t.to}`);
  if (diff.changes.length > 0 && limit > 0) {
    io.out(`first ${Math.min(limit, diff.changes.length)}:`);
    for (const change of diff.changes.slice(0, limit))
      for (const line of describeChange(change)) io.out(line);
  }
  return 0;
};
