import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { partOf, sampleCpuUse } from './cpu-use.ts';
import { renderReport } from './report.ts';
import { SCENARIOS } from './scenarios.ts';

describe('CPU per part of the local stack', () => {
  it('names each process of the stack by what it is', () => {
    expect(partOf('node', '/repo/node_modules/.bin/node loadtests/src/sim/main.ts')).toBe(
      'simulated providers (node)',
    );
    expect(partOf('node', 'node regional/src/main.ts --config /tmp/x.yaml')).toBe(
      'regional (node)',
    );
    expect(partOf('node', 'node /repo/node_modules/wrangler/bin/wrangler.js dev')).toBe(
      'wrangler (dev server, node)',
    );
    expect(
      partOf('workerd', '/repo/node_modules/@cloudflare/workerd-linux-64/bin/workerd serve'),
    ).toBe('workerd (edge Worker)');
    expect(partOf('k6', '/repo/.cache/bin/k6 run --quiet router.js')).toBe('k6');
  });

  it('counts the CPU a busy child used, and the report lists it', async () => {
    const cpu = sampleCpuUse(100);
    const child = spawn(process.execPath, [
      '-e',
      'const end = Date.now() + 400; while (Date.now() < end);',
    ]);
    await new Promise((done) => child.once('exit', done));
    const use = cpu.stop();
    const node = use.find((u) => u.part === 'node');
    expect(node?.cpuS).toBeGreaterThan(0);
    const { markdown } = renderReport(
      { metrics: {} },
      {
        scenario: SCENARIOS.steady,
        rate: 1,
        durationS: 1,
        baseUrl: 'http://127.0.0.1:8787',
        machine: '2 cores',
        startedAt: '2026-12-03T00:00:00Z',
        faults: [],
        breakerEvents: [],
        cpuUse: [{ part: 'workerd (edge Worker)', cpuS: 14.4, coresBusy: 0.46 }],
        chartFile: 'latency.svg',
      },
    );
    expect(markdown).toContain('| workerd (edge Worker) | 14.4 | 0.46 |');
  });
});
