import assert from 'node:assert/strict';
import { test } from 'node:test';
import { targetChecks } from '../src/markdown.ts';
import { summarize } from '../src/stats.ts';
import type { MaxRow, RateRow, ResourceRow, TargetInfo } from '../src/summary.ts';
import type { TargetName } from '../src/targets.ts';

const COUNTS = { warmupSent: 0, sent: 1000, ok: 1000, failed: 0, dropped: 0, stalled: 0 };

const rateRow = (target: TargetName, addedP99Ms: number): RateRow => ({
  ...COUNTS,
  failures: {},
  target,
  rate: 1000,
  achievedRps: 1000,
  latency: summarize([1000]),
  addedP50Ms: addedP99Ms / 2,
  addedP99Ms,
  cpuUsPerRequest: 500,
  simCpuUsPerRequest: 200,
});

const maxRow = (target: TargetName, maxRps: number): MaxRow => ({
  target,
  steps: [],
  maxRps,
  atConcurrency: 64,
});

const resources = (target: TargetName, idle: number, peak: number): ResourceRow => ({
  target,
  rssIdleMb: idle,
  rssPeakMb: peak,
  serverRssIdleMb: idle,
  serverRssPeakMb: peak,
  serverProcesses: 'node',
  cpuUsPerRequest: 500,
  serverCpuUsPerRequest: 500,
});

const ran = (name: TargetName): TargetInfo => ({ name, label: name, upstream: '', status: 'ran' });

const measured = (targets: TargetName[]) => ({
  targets: targets.map(ran),
  rate: [rateRow('switchback', 40), rateRow('floor', 0.8)],
  max: [maxRow('switchback', 800), maxRow('floor', 2000), maxRow('portkey', 1000)],
  stream: [],
  resources: [resources('switchback', 112, 300), resources('floor', 61, 90)],
  serverTiming: [],
});

test("the issue 8 table holds the floor to serve's targets, each right under serve's row", () => {
  const rows = targetChecks(measured(['direct', 'floor', 'switchback', 'portkey'])).map((c) => [
    c.what,
    c.measured,
    c.met,
  ]);
  const floor = 'floor (bare proxy, for reference)';
  assert.deepEqual(rows.slice(0, 4), [
    ['switchback: added p99 at 1,000 req/s', '+40.0 ms', false],
    [`${floor}: added p99 at 1,000 req/s`, '+0.80 ms', true],
    ['switchback: maximum throughput', '800 vs 1,000 req/s = 0.80 ×', false],
    [`${floor}: maximum throughput`, '2,000 vs 1,000 req/s = 2.00 ×', false],
  ]);
  assert.deepEqual(rows.slice(8, 12), [
    ['switchback: RSS idle', '112 MB', false],
    [`${floor}: RSS idle`, '61 MB', false],
    ['switchback: RSS at peak', '300 MB', false],
    [`${floor}: RSS at peak`, '90 MB', true],
  ]);
});

test('without the floor in the run, the table has no floor rows', () => {
  const rows = targetChecks(measured(['direct', 'switchback', 'portkey']));
  assert.equal(
    rows.some((c) => c.what.startsWith('floor')),
    false,
  );
  assert.equal(rows.length, 7);
});
