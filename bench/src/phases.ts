import type { BenchOptions } from './args.ts';
import { getOrInit } from './get-or-init.ts';
import {
  type ActiveTarget,
  type Cell,
  emptyCell,
  live,
  type RoundRunner,
  rotate,
} from './rounds.ts';
import { requestFor } from './targets.ts';

export type PhaseContext = {
  options: BenchOptions;
  targets: ActiveTarget[];
  simUrl: string;
  runRound: RoundRunner;
  log: (line: string) => void;
};

/** Cells of one phase: target name → key (a rate, a concurrency, a scenario) → cell. */
export type Cells = Record<string, Record<string, Cell>>;

const cellOf = (cells: Cells, target: string, key: string): Cell => {
  const byKey = getOrInit(cells, target, () => ({}));
  return getOrInit(byKey, key, emptyCell);
};

const REQUEST_TIMEOUT_MS = 10_000;

const brief = (cell: Cell, last: { ok: number; failed: number; dropped: number }): string =>
  `ok ${last.ok}${last.failed ? `, failed ${last.failed}` : ''}${last.dropped ? `, dropped ${last.dropped}` : ''}` +
  (cell.stalled ? `, stalled ${cell.stalled}` : '');

/**
 * Added latency at fixed rates: for each rate, short open-loop rounds, round-robin over the
 * targets (the order rotating each round), so a burst of noise on the machine lands on all alike.
 */
export const ratePhase = async (ctx: PhaseContext): Promise<Cells> => {
  const { options, targets } = ctx;
  const cells: Cells = {};
  let turn = 0;
  for (const rate of options.rates) {
    for (let round = 0; round < options.rateRounds; round++) {
      for (const target of rotate(live(targets), turn++)) {
        const cell = cellOf(cells, target.name, String(rate));
        const result = await ctx.runRound(
          target,
          {
            target: requestFor(target.name, target.url, ctx.simUrl, false),
            mode: 'rate',
            rate,
            durationMs: options.rateRoundMs,
            warmupMs: options.warmupMs,
            timeoutMs: REQUEST_TIMEOUT_MS,
            drainMs: options.drainMs,
            maxInFlight: 2_000,
            serverTiming: target.name !== 'direct',
          },
          cell,
        );
        ctx.log(
          `  rate ${rate}/s round ${round + 1}/${options.rateRounds} ${target.name}: ${brief(cell, result)}`,
        );
      }
    }
  }
  return cells;
};

/** A step must beat the target's best by this much to count as growth. */
const PLATEAU_GAIN = 1.03;

/**
 * Maximum throughput: closed loop at rising concurrency, interleaved per step, until the target's
 * throughput stops growing (or more than 5 % of its requests fail).
 */
export const maxPhase = async (ctx: PhaseContext): Promise<Cells> => {
  const { options } = ctx;
  const cells: Cells = {};
  const best = new Map<string, number>();
  const flat = new Map<string, number>();
  let active = [...ctx.targets];
  let turn = 0;
  for (const concurrency of options.maxConcurrency) {
    if (active.length === 0) break;
    for (const target of rotate(live(active), turn++)) {
      const cell = cellOf(cells, target.name, String(concurrency));
      const result = await ctx.runRound(
        target,
        {
          target: requestFor(target.name, target.url, ctx.simUrl, false),
          mode: 'closed',
          concurrency,
          durationMs: options.maxStepMs,
          warmupMs: Math.min(options.warmupMs, Math.floor(options.maxStepMs / 3)),
          timeoutMs: REQUEST_TIMEOUT_MS,
          drainMs: options.drainMs,
        },
        cell,
      );
      const rps = result.ok / (result.elapsedMs / 1000);
      ctx.log(
        `  max c=${concurrency} ${target.name}: ${Math.round(rps)} req/s (${brief(cell, result)})`,
      );
      const previous = best.get(target.name) ?? 0;
      if (rps > previous * PLATEAU_GAIN) {
        flat.set(target.name, 0);
      } else {
        flat.set(target.name, (flat.get(target.name) ?? 0) + 1);
      }
      best.set(target.name, Math.max(previous, rps));
      // A handful of failures at low concurrency (a backlog left by the previous phase) is no verdict.
      const failing = result.sent >= 20 && result.failed / result.sent > 0.05;
      if (failing || (flat.get(target.name) ?? 0) >= options.plateauSteps) {
        active = active.filter((t) => t.name !== target.name);
      }
    }
  }
  return cells;
};

const STREAM_TOKENS = 16;

const simFaults = async (simUrl: string, method: 'POST' | 'DELETE', body?: unknown) => {
  const res = await fetch(`${simUrl}/_sim/faults`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  await res.body?.cancel();
  if (!res.ok) throw new Error(`simulator faults ${method} answered ${res.status}`);
};

/**
 * Streaming TTFT: sequential streams with zero provider delay; then 50 and 512 concurrent
 * streams, held open by the simulator's inter-token delay (its TTFT stays 0) and started
 * staggered over one stream's length, round-robin over the targets.
 */
export const streamPhase = async (ctx: PhaseContext): Promise<Cells> => {
  const { options } = ctx;
  const cells: Cells = {};
  let turn = 0;
  for (const target of rotate(live(ctx.targets), turn++)) {
    const cell = cellOf(cells, target.name, 'sequential');
    const result = await ctx.runRound(
      target,
      {
        target: requestFor(target.name, target.url, ctx.simUrl, true),
        mode: 'closed',
        concurrency: 1,
        count: options.sequentialStreams,
        // Bounded in time as well as in count.
        durationMs: 30_000 + options.sequentialStreams * 20,
        warmupMs: options.warmupMs,
        stream: true,
        timeoutMs: REQUEST_TIMEOUT_MS,
        drainMs: options.drainMs,
        stallMs: 5_000,
        serverTiming: target.name !== 'direct',
      },
      cell,
    );
    ctx.log(`  stream sequential ${target.name}: ${brief(cell, result)}`);
  }

  const streamMs = STREAM_TOKENS * options.streamItlMs;
  // Every target's provider route (Workers AI's OpenAI-compatible and run/ routes) paces tokens.
  await simFaults(ctx.simUrl, 'POST', {
    target: 'workers-ai',
    kind: 'slow_tokens',
    delayMs: options.streamItlMs,
  });
  try {
    for (let round = 0; round < options.streamRounds; round++) {
      for (const concurrency of options.streamConcurrency) {
        for (const target of rotate(live(ctx.targets), turn++)) {
          const cell = cellOf(cells, target.name, `c${concurrency}`);
          const result = await ctx.runRound(
            target,
            {
              target: requestFor(target.name, target.url, ctx.simUrl, true),
              mode: 'closed',
              concurrency,
              rampMs: streamMs,
              durationMs: streamMs + options.streamRoundMs,
              stream: true,
              timeoutMs: streamMs + 20_000,
              drainMs: streamMs + options.drainMs,
              stallMs: Math.max(5_000, 10 * options.streamItlMs),
              maxInFlight: concurrency,
              serverTiming: target.name !== 'direct',
            },
            cell,
          );
          ctx.log(
            `  stream c=${concurrency} round ${round + 1}/${options.streamRounds} ${target.name}: ${brief(cell, result)}`,
          );
        }
      }
    }
  } finally {
    await simFaults(ctx.simUrl, 'DELETE');
  }
  return cells;
};
