import { formatMs } from './chart.ts';
import type { BenchReport, Counts, MaxRow, RateRow, StreamRow } from './summary.ts';
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
  const portkey = rows.find((r) => r.target === 'portkey')?.maxRps;
  return table(
    [
      'target',
      'max req/s',
      'at concurrency',
      '× direct',
      '× Portkey',
      'steps (concurrency: req/s, p99 ms)',
    ],
    rows.map((r) => [
      label(r.target),
      num(r.maxRps),
      String(r.atConcurrency),
      direct ? (r.maxRps / direct).toFixed(2) : '–',
      portkey ? (r.maxRps / portkey).toFixed(2) : '–',
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

/** Issue 8's targets, each as met, missed or not measured. */
export const targetChecks = (report: BenchReport): Check[] => {
  const checks: Check[] = [];
  const rate = (t: TargetName, r: number) =>
    report.rate.find((x) => x.target === t && x.rate === r);
  const stream = (t: TargetName, s: string) =>
    report.stream.find((x) => x.target === t && x.scenario === s);
  const max = (t: TargetName) => report.max.find((x) => x.target === t);
  const res = (t: TargetName) => report.resources.find((x) => x.target === t);
  const at1000 = rate('switchback', 1000);
  checks.push({
    what: 'switchback: added p99 at 1,000 req/s',
    target: '≤ 1 ms',
    measured: at1000
      ? `${signed(at1000.addedP99Ms)} ms${at1000.failed || at1000.dropped ? `, ${problems(at1000)}` : ''}`
      : 'not measured',
    met: at1000 ? at1000.addedP99Ms <= 1 && at1000.failed === 0 && at1000.dropped === 0 : undefined,
  });
  const sbMax = max('switchback');
  const pkMax = max('portkey');
  checks.push({
    what: 'switchback: maximum throughput',
    target: '≥ 5 × Portkey',
    measured:
      sbMax && pkMax
        ? `${num(sbMax.maxRps)} vs ${num(pkMax.maxRps)} req/s = ${(sbMax.maxRps / pkMax.maxRps).toFixed(2)} ×`
        : 'not measured',
    met: sbMax && pkMax ? sbMax.maxRps >= 5 * pkMax.maxRps : undefined,
  });
  const seq = stream('switchback', 'sequential');
  checks.push({
    what: 'switchback: streaming added TTFT p99, sequential',
    target: '≤ 1 ms',
    measured: seq ? `${signed(seq.addedTtftP99Ms)} ms` : 'not measured',
    met: seq ? seq.addedTtftP99Ms <= 1 && seq.failed === 0 : undefined,
  });
  const c512 = stream('switchback', 'c512');
  checks.push({
    what: 'switchback: streaming added TTFT p99, 512 concurrent streams, none stalled',
    target: '≤ 5 ms, 0 stalled',
    measured: c512
      ? `${signed(c512.addedTtftP99Ms)} ms, ${c512.stalled} stalled, ${c512.failed} failed`
      : 'not measured',
    met: c512 ? c512.addedTtftP99Ms <= 5 && c512.stalled === 0 && c512.failed === 0 : undefined,
  });
  const sbRes = res('switchback');
  checks.push({
    what: 'switchback: RSS idle',
    target: '≤ 60 MB',
    measured: sbRes ? `${mb(sbRes.rssIdleMb)} MB` : 'not measured',
    met: sbRes ? sbRes.rssIdleMb <= 60 : undefined,
  });
  checks.push({
    what: 'switchback: RSS at peak',
    target: '≤ 150 MB',
    measured: sbRes ? `${mb(sbRes.rssPeakMb)} MB` : 'not measured',
    met: sbRes ? sbRes.rssPeakMb <= 150 : undefined,
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
