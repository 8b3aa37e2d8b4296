import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyAuditLog } from '@switchback/router-core';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../cli/capture-io.ts';

const FIXTURE = 'regional/src/report/fixtures/week.audit.jsonl';
const FIXTURE_URL = new URL('./fixtures/week.audit.jsonl', import.meta.url);
const WIDTH = 900;
const HEIGHT = 2600;

const chromium = ['chromium', 'chromium-browser', 'google-chrome'].find(
  (name) => spawnSync('which', [name]).status === 0,
);
if (chromium === undefined) {
  console.log('report.chromium.test: no chromium on PATH (apt-get install -y chromium); skipped');
}

type Event = {
  type: string;
  tenant?: string;
  workflow?: string;
  decision?: { tier?: string };
  attempts?: number;
  tool_calls?: { decision: string }[];
  timings?: { duration_ms: number };
  usage?: { prompt_tokens: number; completion_tokens: number; cached_tokens?: number };
  cost_usd?: number;
  outcome: string;
};

/** What the page must say, worked out here from the log itself (not by the report's code). */
const expectedFigures = (text: string): Record<string, string> => {
  const events = text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => (JSON.parse(l) as { event: Event }).event)
    .filter((e) => e.type === 'request');
  const pct = (part: number, whole: number) => `${((part / whole) * 100).toFixed(2)} %`;
  const msText = (v: number) => `${v.toFixed(1)} ms`;
  const figures: Record<string, string> = { requests: String(events.length) };

  const latency: Record<string, number[]> = {};
  for (const e of events) {
    if (!e.decision?.tier || !e.timings) continue;
    const key = `latency/${e.workflow ?? 'default'}/${e.decision.tier}`;
    latency[key] = [...(latency[key] ?? []), e.timings.duration_ms];
  }
  for (const [key, values] of Object.entries(latency)) {
    values.sort((a, b) => a - b);
    figures[`${key}/count`] = String(values.length);
    figures[`${key}/p50`] = msText(values[Math.ceil(values.length * 0.5) - 1] ?? Number.NaN);
    figures[`${key}/p95`] = msText(values[Math.ceil(values.length * 0.95) - 1] ?? Number.NaN);
  }

  const cache: Record<string, [number, number]> = {};
  for (const e of events) {
    if (!e.usage) continue;
    const key = `cache/${e.tenant}/${e.workflow ?? 'default'}`;
    const [p, c] = cache[key] ?? [0, 0];
    cache[key] = [p + e.usage.prompt_tokens, c + (e.usage.cached_tokens ?? 0)];
  }
  for (const [key, [p, c]] of Object.entries(cache)) {
    figures[`${key}/prompt`] = String(p);
    figures[`${key}/cached`] = String(c);
    figures[`${key}/ratio`] = pct(c, p);
  }

  const calls = events.flatMap((e) => e.tool_calls ?? []);
  const denied = calls.filter((c) => c.decision === 'denied').length;
  Object.assign(figures, {
    'tools-denied/part': String(denied),
    'tools-denied/whole': String(calls.length),
    'tools-denied/ratio': pct(denied, calls.length),
  });
  const retried = events.filter((e) => (e.attempts ?? 1) > 1);
  const retriedOk = retried.filter((e) => e.outcome === 'ok').length;
  Object.assign(figures, {
    'retries-ok/part': String(retriedOk),
    'retries-ok/whole': String(retried.length),
    'retries-ok/ratio': pct(retriedOk, retried.length),
  });

  let cost = 0;
  let tokens = 0;
  for (const e of events) {
    cost += e.cost_usd ?? 0;
    tokens += e.usage ? e.usage.prompt_tokens + e.usage.completion_tokens : 0;
  }
  const ok = events.filter((e) => e.outcome === 'ok').length;
  Object.assign(figures, {
    'cost/total': `$${cost.toFixed(4)}`,
    'cost/successes': String(ok),
    'cost/per-success': `$${(cost / ok).toFixed(6)}`,
    'cost/tokens': String(tokens),
    'cost/per-mtok': `$${((cost / tokens) * 1e6).toFixed(4)}`,
  });

  const count = (outcome: string) => events.filter((e) => e.outcome === outcome).length;
  const valid = events.length - count('deterministic') - count('quota');
  for (const errorClass of ['transient', 'budget', 'deterministic', 'quota']) {
    const n = count(errorClass);
    figures[`burn/${errorClass}/count`] = String(n);
    figures[`burn/${errorClass}/share`] = pct(n, events.length);
    figures[`burn/${errorClass}/rate`] =
      errorClass === 'transient' || errorClass === 'budget'
        ? `${(n / valid / 0.001).toFixed(2)}×`
        : 'n/a';
  }
  return figures;
};

const decode = (text: string) =>
  text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));

/** The `data-figure` cells of the DOM Chromium rendered, key to visible text. */
const figuresOnPage = (dom: string): Record<string, string> => {
  const found: Record<string, string> = {};
  for (const [, key = '', text = ''] of dom.matchAll(/data-figure="([^"]+)">([^<]*)</g)) {
    found[decode(key)] = decode(text);
  }
  return found;
};

const run = (args: string[]) =>
  execFileSync(chromium ?? 'chromium', ['--headless', '--no-sandbox', '--disable-gpu', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    timeout: 60_000,
  });

describe.skipIf(chromium === undefined)('switchback report in headless Chromium', () => {
  it('renders the week of the fixture log with every figure equal to the log’s own', async () => {
    const log = readFileSync(FIXTURE_URL, 'utf8');
    expect((await verifyAuditLog(log.split('\n'), 'report-fixture-secret')).ok).toBe(true);

    const dir = mkdtempSync(join(tmpdir(), 'switchback-report-'));
    const out = join(dir, 'report.html');
    const cli = await runInProcess(['report', '--from', FIXTURE, '--out', out]);
    expect(cli).toEqual({
      code: 0,
      out: `wrote ${out}: 240 requests from ${FIXTURE}`,
      err: '',
    });
    const html = readFileSync(out, 'utf8');
    expect(html).not.toMatch(/<script|<link|\ssrc=|url\(/);

    const dom = run(['--dump-dom', `file://${out}`]);
    const expected = expectedFigures(log);
    expect(Object.keys(expected)).toHaveLength(60);
    expect(figuresOnPage(dom)).toEqual(expected);
    expect(dom.match(/<svg /g)).toHaveLength(5);

    const png = join(dir, 'report.png');
    run([
      `--window-size=${WIDTH},${HEIGHT}`,
      '--hide-scrollbars',
      `--screenshot=${png}`,
      `file://${out}`,
    ]);
    const image = readFileSync(png);
    expect(image.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect([image.readUInt32BE(16), image.readUInt32BE(20)]).toEqual([WIDTH, HEIGHT]);
    console.log(`report.chromium.test: screenshot at ${png}`);
  }, 120_000);
});
