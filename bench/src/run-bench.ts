import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../../loadtests/src/stack/start-stack.ts';
import type { BenchOptions } from './args.ts';
import { addedP99Chart } from './chart.ts';
import { newestProfile, type ProfileSummary, summarizeProfile } from './cpu-profile.ts';
import { buildLoadgen, type Loadgen, startLoadgen } from './loadgen-client.ts';
import { cpuTimes, describeCpuUse, describeMachine, loadNow } from './machine.ts';
import { renderMarkdown } from './markdown.ts';
import { type Cells, maxPhase, type PhaseContext, ratePhase, streamPhase } from './phases.ts';
import { type ActiveTarget, live, quiesce, roundRunner } from './rounds.ts';
import { monitorRss } from './rss-monitor.ts';
import {
  BENCH_DIR,
  type Running,
  smokeTest,
  startSimulator,
  startTarget,
  unavailable,
} from './start-targets.ts';
import {
  type BenchReport,
  cpuOfPhase,
  maxRows,
  type ResourceRow,
  rateRows,
  streamRows,
  type TargetInfo,
  timingRows,
} from './summary.ts';
import { TARGET_LABELS, type TargetName, UPSTREAM_OF } from './targets.ts';

const MB = 2 ** 20;
const SETTLE_MS = 1_000;
const PHASE_QUIESCE_MS = 10_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Brings everything up, runs the phases, stops everything (on failure too), writes the report. */
export const runBench = async (
  options: BenchOptions,
  log: (line: string) => void,
): Promise<{ markdown: string; files: string[] }> => {
  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const outDir = resolve(options.outDir);
  const logDir = join(outDir, 'logs', stamp);
  const cpuProfDir = options.cpuProf ? join(outDir, 'profiles', stamp) : undefined;
  mkdirSync(logDir, { recursive: true });
  const loadBefore = loadNow();
  const cpuBefore = cpuTimes();

  const servers: Running[] = [];
  let loadgen: Loadgen | undefined;
  const stopAll = async () => {
    await loadgen?.close();
    await Promise.all(
      servers.map(async (s) => {
        await s.process.stop();
        s.cleanup?.();
      }),
    );
  };
  const onSignal = () => {
    log('bench: interrupted, stopping what it started…');
    void stopAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const binary = buildLoadgen(join(BENCH_DIR, 'loadgen'), log);
    log('starting the simulated providers…');
    const sim = await startSimulator(logDir);
    servers.push(sim);
    const ctxStart = { simUrl: sim.url, logDir, cpuProfDir, log };

    const infos = new Map<TargetName, TargetInfo>();
    const info = (name: TargetName): TargetInfo => {
      let i = infos.get(name);
      if (i === undefined) {
        i = { name, label: TARGET_LABELS[name], upstream: UPSTREAM_OF[name], status: 'ran' };
        infos.set(name, i);
      }
      return i;
    };
    const skip = (name: TargetName, why: string) => {
      Object.assign(info(name), { status: 'skipped', why });
      log(`  ${name}: skipped — ${why}`);
    };

    const routers = options.targets.filter(
      (t): t is Exclude<TargetName, 'direct'> => t !== 'direct',
    );
    const startable = routers.filter((name) => {
      const why = unavailable(name);
      if (why !== undefined) skip(name, why);
      return why === undefined;
    });
    log(`starting ${startable.join(', ') || 'no routers'}…`);
    const startT0 = Date.now();
    // switchback first: the edge is told where regional is (bench requests never go there).
    const running = new Map<TargetName, Running>();
    if (startable.includes('switchback')) {
      try {
        const r = await startTarget('switchback', ctxStart, undefined);
        servers.push(r);
        running.set('switchback', r);
      } catch (error) {
        skip('switchback', (error as Error).message);
      }
    }
    const rest = startable.filter((n) => n !== 'switchback');
    const results = await Promise.allSettled(
      rest.map((name) => startTarget(name, ctxStart, running.get('switchback')?.url)),
    );
    results.forEach((result, i) => {
      const name = rest[i] as TargetName;
      if (result.status === 'fulfilled') {
        servers.push(result.value);
        running.set(name, result.value);
      } else {
        skip(name, (result.reason as Error).message);
      }
    });

    for (const name of options.targets) {
      const url = name === 'direct' ? sim.url : running.get(name)?.url;
      if (url === undefined) continue;
      const smoke = await smokeTest(name, url, sim.url);
      if (smoke.ok) {
        info(name).routerHeaders = smoke.headers;
        log(`  ${name}: ready at ${url}`);
        continue;
      }
      skip(name, `smoke request failed: ${smoke.why}`);
      const r = running.get(name);
      running.delete(name);
      await r?.process.stop();
      r?.cleanup?.();
    }

    log(`start-up took ${((Date.now() - startT0) / 1000).toFixed(0)} s`);
    const targets = options.targets.flatMap((name): ActiveTarget[] => {
      if (name === 'direct') return [{ name, url: sim.url, group: undefined }];
      const r = running.get(name);
      return r === undefined
        ? []
        : [
            {
              name,
              url: r.url,
              group: r.group,
              running: r.process.running,
              ...(r.serverCommands ? { serverCommands: r.serverCommands } : {}),
            },
          ];
    });

    const monitor = monitorRss([
      { name: 'simulator', group: sim.group },
      ...[...running.values()].map((r) => ({
        name: r.name,
        group: r.group,
        ...(r.serverCommands ? { serverCommands: r.serverCommands } : {}),
      })),
    ]);
    await sleep(SETTLE_MS);
    monitor.idle();
    monitor.start();

    loadgen = startLoadgen(binary);
    const ctx: PhaseContext = {
      options,
      targets,
      simUrl: sim.url,
      runRound: roundRunner(
        loadgen,
        { group: sim.group, running: sim.process.running },
        options.quiesceMs,
        log,
      ),
      log,
    };
    const phaseCells: Record<string, Cells> = {};
    const phases = [
      { phase: 'rate', title: 'added latency at fixed rates', run: ratePhase },
      { phase: 'max', title: 'maximum throughput', run: maxPhase },
      { phase: 'stream', title: 'streaming TTFT', run: streamPhase },
    ] as const;
    for (const { phase, title, run } of phases) {
      if (!options.phases.includes(phase)) continue;
      // Overloaded targets may still be working off the last phase's backlog: let them finish.
      for (const target of live(targets)) await quiesce(target, sim.group, PHASE_QUIESCE_MS);
      const t0 = Date.now();
      log(`phase: ${title}`);
      phaseCells[phase] = await run(ctx);
      log(`phase: ${title} took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
    monitor.stop();
    for (const [name, r] of running) {
      if (!r.process.running()) info(name).exitedDuringRun = true;
    }
    const loadAfter = `${loadNow()}; ${describeCpuUse(cpuBefore, cpuTimes())}`;

    let profile: ProfileSummary | undefined;
    const switchback = running.get('switchback');
    if (cpuProfDir !== undefined && switchback !== undefined) {
      // The profile is written when the process exits on its own: SIGTERM, then wait for it.
      await switchback.process.stop(15_000);
      const file = newestProfile(cpuProfDir);
      if (file) profile = summarizeProfile(file, REPO_ROOT);
      else log('bench: switchback serve wrote no .cpuprofile (did it exit cleanly on SIGTERM?)');
    }

    const names = targets.map((t) => t.name);
    const rateCells = phaseCells.rate ?? {};
    const resources: ResourceRow[] = [...running.values(), sim].flatMap((r) => {
      const f = monitor.figures(r.name);
      if (f === undefined) return [];
      const cpu =
        r.name === 'simulator'
          ? { all: Number.NaN, server: Number.NaN }
          : cpuOfPhase(rateCells, r.name);
      return [
        {
          target: r.name,
          rssIdleMb: f.idleBytes / MB,
          rssPeakMb: f.peakBytes / MB,
          serverRssIdleMb: f.serverIdleBytes / MB,
          serverRssPeakMb: f.serverPeakBytes / MB,
          serverProcesses: f.serverProcesses,
          cpuUsPerRequest: cpu.all,
          serverCpuUsPerRequest: cpu.server,
        },
      ];
    });

    const finishedAt = new Date();
    const report: BenchReport = {
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationS: (finishedAt.getTime() - startedAt.getTime()) / 1000,
      options,
      machine: describeMachine(),
      conditions: conditionsOf(options, loadBefore, loadAfter),
      targets: options.targets.map(info),
      rate: rateRows(rateCells, names, options.rates),
      max: maxRows(phaseCells.max ?? {}, names),
      stream: streamRows(phaseCells.stream ?? {}, names),
      resources,
      serverTiming: Object.entries(phaseCells).flatMap(([phase, cells]) =>
        timingRows(phase, cells, names),
      ),
      ...(profile ? { profile } : {}),
      notes: NOTES,
      ...(options.raw ? { raw: rawSamples(phaseCells) } : {}),
    };

    const base = join(outDir, `bench-${stamp}`);
    const title = `Added p99 latency vs direct, by rate (${options.mode}, ${startedAt.toISOString().slice(0, 16)}Z)`;
    const files: string[] = [`${base}.json`];
    writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
    let markdown = renderMarkdown(report, undefined);
    if (report.rate.length > 0) {
      writeFileSync(`${base}.svg`, addedP99Chart(report.rate, title));
      copyFileSync(`${base}.svg`, join(outDir, 'latest.svg'));
      files.push(`${base}.svg`);
      writeFileSync(`${base}.md`, renderMarkdown(report, `bench-${stamp}.svg`));
      markdown = renderMarkdown(report, 'latest.svg');
    } else {
      writeFileSync(`${base}.md`, markdown);
    }
    files.push(`${base}.md`);
    writeFileSync(join(outDir, 'latest.md'), markdown);
    copyFileSync(`${base}.json`, join(outDir, 'latest.json'));
    files.push(join(outDir, 'latest.md'));
    return { markdown, files };
  } finally {
    await stopAll();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
};

const conditionsOf = (options: BenchOptions, before: string, after: string): string[] => [
  `mode ${options.mode}: fixed rates ${options.rates.join(', ')} req/s, ${options.rateRounds} round(s) of ${options.rateRoundMs} ms per target per rate (after ${options.warmupMs} ms of unmeasured warm-up each), targets round-robin with the order rotating every round`,
  `maximum throughput: closed loop at concurrency ${options.maxConcurrency.join(', ')}, ${options.maxStepMs} ms per step, a target stops after ${options.plateauSteps} steps without a 3 % gain`,
  `streaming: ${options.sequentialStreams} sequential streams; ${options.streamConcurrency.join(' and ')} concurrent streams, ${options.streamRounds} round(s) of ${options.streamRoundMs} ms after a ramp of one stream length (16 tokens × ${options.streamItlMs} ms)`,
  'simulated providers (loadtests/src/sim) in a process of their own: SIM_TTFT_MS=0, SIM_ITL_MS=0, SIM_TOKENS=16 (the concurrent-stream rounds add a slow_tokens fault for the inter-token delay)',
  'load generator: bench/loadgen (Go, standard library), one keep-alive connection pool per target, open-loop latencies measured from the scheduled send time (no coordinated omission)',
  'every process (load generator, simulator, the floor and the routers) runs on this one machine and shares its CPUs; the others idle while one target is measured',
  'request: POST /v1/chat/completions, a system and a user turn (~20 prompt tokens), 16-token answer; routers get model "auto", the baseline, the floor and Portkey the model the routers pick',
  `load before the run: ${before}; after: ${after}`,
  ...(options.cpuProf
    ? ["switchback serve ran under node --cpu-prof: its figures include the profiler's overhead"]
    : []),
];

const NOTES = [
  "Added latency subtracts the direct baseline's percentile at the same rate from the target's; on a loaded machine the difference can come out negative.",
  "The edge runs in wrangler dev's local workerd, not on Cloudflare; its upstream is the AI binding stand-in calling the simulator's Workers AI run/ route (the other targets call the OpenAI-compatible route of the same simulator). Its group RSS/CPU include wrangler's Node process and esbuild; \"server\" is workerd alone.",
  "server-timing is the routers' own wall-clock split: at the edge `policy` includes the quota Durable Object call, so it is not CPU time; `classify` (classify + decide) is pure CPU. workerd may coarsen timers.",
  'CPU per request comes from utime + stime in /proc/<pid>/stat (clock-tick resolution) over each round, warm-ups included; RSS from VmRSS in /proc/<pid>/status, sampled 4 times a second.',
  "The floor is not a router: a bare node:http keep-alive proxy (bench/floor/bare-proxy.js) that pipes the baseline's request to the simulator and the answer back without parsing either. What it adds is what any Node hop costs on this machine; the floor rows of the issue 8 table hold it to the same targets.",
  'Portkey 1.15.2 runs from bench/portkey (start-server.js --headless, NODE_ENV=production), provider openai with x-portkey-custom-host pointing at the simulator.',
];

const rawSamples = (phaseCells: Record<string, Cells>) =>
  Object.fromEntries(
    Object.entries(phaseCells).map(([phase, cells]) => [
      phase,
      Object.fromEntries(
        Object.entries(cells).map(([target, byKey]) => [
          target,
          Object.fromEntries(
            Object.entries(byKey).map(([key, cell]) => [
              key,
              { latencyUs: cell.latencyUs, ttftUs: cell.ttftUs },
            ]),
          ),
        ]),
      ),
    ]),
  );
