import { formatMs } from './chart.ts';
import type { Counts } from './loadgen-client.ts';
import type { BenchReport, MaxRow, RateRow, StreamRow } from './summary.ts';
import { TARGET_LABELS, type TargetName } from './targets.ts';

const mb = (bytesOrMb: number): string => (Number.isFinite(bytesOrMb) ? bytesOrMb.toFixed(0) : '–');
const us = (v: number): string => (Number.isFinite(v) ? v.toFixed(0) : '–');
const signed = (ms: number): string =>
  Number.isFinite(ms) ? `${ms >= 0 ? '+' : ''}${formatMs(ms)}` : '–';
const num = (v: number): string =>
  Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '–';

/** A Markdown table; the first `textColumns` columns left-aligned, the (numeric) rest right. */
const table = (head: string[], rows: string[][], textColumns = 1): string =>
  [
    `| ${head.join(' | ')} |`,
    `| ${head.map((_, i) => (i < textColumns ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');

const problems = (c: Counts): string => {
  const parts: string[] = [];
  if (c.failed > 0) {
    const kinds = Object.entries(c.failures)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    parts.push(`${c.failed} failed (${kinds})`);
  }
  if (c.dropped > 0) parts.push(`${c.dropped} not sent (client in-flight cap)`);
  return parts.join('; ') || '–';
};

const label = (t: TargetName): string => TARGET_LABELS[t];

const rateTable = (rows: RateRow[]): string =>
  table(
    [
      'target',
      'rate /s',
      'achieved /s',
      'ok',
      'p50 ms',
      'p99 ms',
      'added p50',
      'added p99',
      'router CPU µs/req',
      'sim CPU µs/req',
      'problems',
    ],
    rows.map((r) => [
      label(r.target),
      String(r.rate),
      num(r.achievedRps),
      String(r.ok),
      formatMs(r.latency.p50),
      formatMs(r.latency.p99),
      r.target === 'direct' ? '' : signed(r.addedP50Ms),
      r.target === 'direct' ? '' : signed(r.addedP99Ms),
      us(r.cpuUsPerRequest),
      us(r.simCpuUsPerRequest),
      problems(r),
    ]),
  );

const maxTable = (rows: MaxRow[]): string => {
  const direct = rows.find((r) => r.target === 'direct')?.maxRps;
  const floor = rows.find((r) => r.target === 'floor')?.maxRps;
  const portkey = rows.find((r) => r.target === 'portkey')?.maxRps;
  const ratio = (rps: number, of: number | undefined) => (of ? (rps / of).toFixed(2) : '–');
  return table(
    [
      'target',
      'max req/s',
      'at concurrency',
      '× direct',
      '× floor',
      '× Portkey',
      'steps (concurrency: req/s, p99 ms)',
    ],
    rows.map((r) => [
      label(r.target),
      num(r.maxRps),
      String(r.atConcurrency),
      ratio(r.maxRps, direct),
      ratio(r.maxRps, floor),
      ratio(r.maxRps, portkey),
      r.steps
        .map(
          (s) =>
            `${s.concurrency}: ${num(s.rps)}, ${formatMs(s.p99Ms)}${s.failed ? ` (${s.failed} failed)` : ''}`,
        )
        .join(' · '),
    ]),
  );
};

const SCENARIO_NAMES: Record<string, string> = {
  sequential: 'sequential',
  c50: '50 concurrent',
  c512: '512 concurrent',
};

const streamTable = (rows: StreamRow[]): string =>
  table(
    [
      'target',
      'streams',
      'ok',
      'stalled',
      'TTFT p50 ms',
      'TTFT p99 ms',
      'added TTFT p50',
      'added TTFT p99',
      'problems',
    ],
    rows.map((r) => [
      label(r.target),
      SCENARIO_NAMES[r.scenario] ?? r.scenario,
      String(r.ok),
      String(r.stalled),
      formatMs(r.ttft.p50),
      formatMs(r.ttft.p99),
      r.target === 'direct' ? '' : signed(r.addedTtftP50Ms),
      r.target === 'direct' ? '' : signed(r.addedTtftP99Ms),
      problems(r),
    ]),
    2,
  );

type Check = { what: string; target: string; measured: string; met: boolean | undefined };
type Measured = Pick<
  BenchReport,
  'targets' | 'rate' | 'max' | 'stream' | 'resources' | 'serverTiming'
>;

/** The hops held to issue 8's serve targets: serve itself, and the floor for reference. */
type HopTarget = Extract<TargetName, 'switchback' | 'floor'>;

const HOP_NAMES: Record<HopTarget, string> = {
  switchback: 'switchback',
  floor: 'floor (bare proxy, for reference)',
};

/** Issue 8's serve targets for one hop, each as met, missed or not measured. */
const hopChecks = (report: Measured, t: HopTarget): Check[] => {
  const who = HOP_NAMES[t];
  const rate = report.rate.find((x) => x.target === t && x.rate === 1000);
  const stream = (s: string) => report.stream.find((x) => x.target === t && x.scenario === s);
  const max = (n: TargetName) => report.max.find((x) => x.target === n);
  const hopMax = max(t);
  const pkMax = max('portkey');
  const seq = stream('sequential');
  const c512 = stream('c512');
  const res = report.resources.find((x) => x.target === t);
  return [
    {
      what: `${who}: added p99 at 1,000 req/s`,
      target: '≤ 1 ms',
      measured: rate
        ? `${signed(rate.addedP99Ms)} ms${rate.failed || rate.dropped ? `, ${problems(rate)}` : ''}`
        : 'not measured',
      met: rate ? rate.addedP99Ms <= 1 && rate.failed === 0 && rate.dropped === 0 : undefined,
    },
    {
      what: `${who}: maximum throughput`,
      target: '≥ 5 × Portkey',
      measured:
        hopMax && pkMax
          ? `${num(hopMax.maxRps)} vs ${num(pkMax.maxRps)} req/s = ${(hopMax.maxRps / pkMax.maxRps).toFixed(2)} ×`
          : 'not measured',
      met: hopMax && pkMax ? hopMax.maxRps >= 5 * pkMax.maxRps : undefined,
    },
    {
      what: `${who}: streaming added TTFT p99, sequential`,
      target: '≤ 1 ms',
      measured: seq ? `${signed(seq.addedTtftP99Ms)} ms` : 'not measured',
      met: seq ? seq.addedTtftP99Ms <= 1 && seq.failed === 0 : undefined,
    },
    {
      what: `${who}: streaming added TTFT p99, 512 concurrent streams, none stalled`,
      target: '≤ 5 ms, 0 stalled',
      measured: c512
        ? `${signed(c512.addedTtftP99Ms)} ms, ${c512.stalled} stalled, ${c512.failed} failed`
        : 'not measured',
      met: c512 ? c512.addedTtftP99Ms <= 5 && c512.stalled === 0 && c512.failed === 0 : undefined,
    },
    {
      what: `${who}: RSS idle`,
      target: '≤ 60 MB',
      measured: res ? `${mb(res.rssIdleMb)} MB` : 'not measured',
      met: res ? res.rssIdleMb <= 60 : undefined,
    },
    {
      what: `${who}: RSS at peak`,
      target: '≤ 150 MB',
      measured: res ? `${mb(res.rssPeakMb)} MB` : 'not measured',
      met: res ? res.rssPeakMb <= 150 : undefined,
    },
  ];
};

/**
 * Issue 8's targets, each as met, missed or not measured. When the floor ran, each serve target
 * is followed by the floor's figure against it: a target the floor misses too is out of reach
 * for any Node hop on this machine.
 */
export const targetChecks = (report: Measured): Check[] => {
  const serve = hopChecks(report, 'switchback');
  const floor = report.targets.some((t) => t.name === 'floor' && t.status === 'ran')
    ? hopChecks(report, 'floor')
    : [];
  const checks = serve.flatMap((check, i) => {
    const beside = floor[i];
    return beside === undefined ? [check] : [check, beside];
  });
  const edgeClassify = report.serverTiming.find(
    (t) => t.target === 'edge' && t.phase === 'rate' && t.entry === 'classify',
  );
  const edgePolicy = report.serverTiming.find(
    (t) => t.target === 'edge' && t.phase === 'rate' && t.entry === 'policy',
  );
  checks.push({
    what: 'edge: policy + classify + decide per request, p99 (server-timing, wall clock; see notes)',
    target: '≤ 1 ms CPU',
    measured:
      edgeClassify && edgePolicy
        ? `classify+decide ${formatMs(edgeClassify.summary.p99)} ms, policy (quota Durable Object call included) ${formatMs(edgePolicy.summary.p99)} ms`
        : 'not measured',
    met:
      edgeClassify && edgePolicy
        ? edgeClassify.summary.p99 + edgePolicy.summary.p99 <= 1
        : undefined,
  });
  return checks;
};

/** The whole report as Markdown. */
export const renderMarkdown = (report: BenchReport, chartFile: string | undefined): string => {
  const out: string[] = [];
  out.push(`# switchback side-by-side benchmark (${report.options.mode})`, '');
  out.push(
    `Run ${report.startedAt} → ${report.finishedAt} (${report.durationS.toFixed(0)} s).`,
    '',
  );
  out.push('## Machine and conditions', '');
  for (const [k, v] of Object.entries(report.machine)) out.push(`- ${k}: ${v}`);
  for (const c of report.conditions) out.push(`- ${c}`);
  out.push('', '## Targets', '');
  out.push(
    table(
      ['target', 'status', 'calls upstream', 'route taken (smoke request)'],
      report.targets.map((t) => [
        t.label,
        t.status === 'skipped'
          ? `**skipped**: ${t.why ?? ''}`
          : t.exitedDuringRun
            ? '**exited during the run** (see its log)'
            : 'ran',
        t.upstream,
        t.routerHeaders && Object.keys(t.routerHeaders).length > 0
          ? Object.entries(t.routerHeaders)
              .map(([k, v]) => `${k}: ${v}`)
              .join(', ')
          : '–',
      ]),
      4,
    ),
  );
  out.push('', '## Issue 8 targets', '');
  out.push(
    table(
      ['figure', 'target', 'measured', 'verdict'],
      targetChecks(report).map((c) => [
        c.what,
        c.target,
        c.measured,
        c.met === undefined ? 'not measured' : c.met ? 'met' : '**missed**',
      ]),
      4,
    ),
  );
  if (report.rate.length > 0) {
    out.push('', '## Added latency at fixed rates (open loop, non-streaming)', '');
    out.push(
      "Latency from each request's scheduled send time to the last byte; \"added\" is the target's percentile minus the direct baseline's at the same rate. Router CPU is user + system time of the router's process group during its rounds ÷ requests sent (warm-ups included).",
      '',
    );
    out.push(rateTable(report.rate));
    if (chartFile) out.push('', `![added p99 per rate](${chartFile})`);
  }
  if (report.max.length > 0) {
    out.push('', '## Maximum throughput (closed loop, rising concurrency)', '');
    out.push(maxTable(report.max));
  }
  if (report.stream.length > 0) {
    out.push('', '## Streaming time to first token', '');
    out.push(
      `TTFT: from sending the request to the first SSE event carrying a token. Sequential: one stream at a time, zero provider delay. Concurrent: that many streams kept open (the simulator paces tokens ${report.options.streamItlMs} ms apart, its TTFT stays 0), started staggered. Stalled: no byte for the stall timeout.`,
      '',
    );
    out.push(streamTable(report.stream));
  }
  if (report.resources.length > 0) {
    out.push('', '## Memory and CPU', '');
    out.push(
      table(
        [
          'target',
          'RSS idle MB',
          'RSS peak MB',
          'server RSS idle MB',
          'server RSS peak MB',
          'server processes',
          'CPU µs/req (group)',
          'CPU µs/req (server)',
        ],
        report.resources.map((r) => [
          r.target === 'simulator' ? 'simulator' : label(r.target),
          mb(r.rssIdleMb),
          mb(r.rssPeakMb),
          mb(r.serverRssIdleMb),
          mb(r.serverRssPeakMb),
          r.serverProcesses,
          us(r.cpuUsPerRequest),
          us(r.serverCpuUsPerRequest),
        ]),
      ),
    );
  }
  if (report.serverTiming.length > 0) {
    out.push('', '## What the routers report (server-timing)', '');
    out.push(
      table(
        ['target', 'phase', 'entry', 'count', 'p50 ms', 'p99 ms', 'max ms'],
        report.serverTiming.map((t) => [
          label(t.target),
          t.phase,
          t.entry,
          String(t.summary.count),
          formatMs(t.summary.p50),
          formatMs(t.summary.p99),
          formatMs(t.summary.max),
        ]),
        3,
      ),
    );
  }
  if (report.profile) {
    const p = report.profile;
    out.push('', '## switchback serve CPU profile (node --cpu-prof)', '');
    out.push(
      `${p.file}: ${formatMs(p.busyMs)} ms busy of ${formatMs(p.totalMs)} ms profiled (GC ${formatMs(p.gcMs)} ms, V8/native outside JS ${formatMs(p.programMs)} ms). Self time; share of busy time.`,
      '',
    );
    out.push(
      table(
        ['function', 'location', 'self ms', 'share'],
        p.functions.map((f) => [
          `\`${f.name}\``,
          f.location,
          formatMs(f.selfMs),
          `${(f.share * 100).toFixed(1)} %`,
        ]),
        2,
      ),
      '',
      table(
        ['module (where the time was spent)', 'self ms', 'share'],
        p.modules.map((m) => [m.module, formatMs(m.selfMs), `${(m.share * 100).toFixed(1)} %`]),
      ),
      '',
      table(
        [
          'module (who caused it: Node internals and native code charged to the calling package)',
          'ms',
          'share',
        ],
        p.owners.map((m) => [m.module, formatMs(m.selfMs), `${(m.share * 100).toFixed(1)} %`]),
      ),
    );
  }
  if (report.notes.length > 0) {
    out.push('', '## Notes', '');
    for (const n of report.notes) out.push(`- ${n}`);
  }
  return `${out.join('\n')}\n`;
};
