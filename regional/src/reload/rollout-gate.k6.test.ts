import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@switchback/loadtests/sim';
import {
  createAuditLog,
  type RolloutDecisionAuditEvent,
  type RouterConfigInput,
  type SignedAuditEvent,
  verifyAuditLog,
} from '@switchback/router-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findK6 } from '../../../loadtests/src/runner/k6-binary.ts';
import { startRegionalServer } from '../start-regional-server.ts';
import { simControl } from '../testing/sim-control.ts';
import { TEST_KEY, testConfig } from '../testing/test-config.ts';

const SECRET = 'rollout-gate-k6';
const k6 = findK6();
if (k6 === undefined) {
  console.log(
    'rollout-gate.k6: skipped, no k6 (node scripts/ensure-k6.ts builds it into .cache/bin)',
  );
}

let sim: Simulator;
const dir = mkdtempSync(join(tmpdir(), 'switchback-gate-k6-'));
beforeAll(async () => {
  sim = await startSimulator({ port: 0, ttftMs: 5, tokens: 4 });
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

// Each iteration a new session, so the 50 % canary splits the load evenly; bounded in time.
const SCRIPT = `import http from 'k6/http';
export const options = { vus: 8, duration: __ENV.DURATION };
const body = JSON.stringify({ model: 'smart', messages: [{ role: 'user', content: 'hello' }] });
export default function () {
  http.post(__ENV.URL + '/v1/chat/completions', body, {
    headers: {
      authorization: 'Bearer ${TEST_KEY}',
      'content-type': 'application/json',
      'x-session-affinity': 'vu' + __VU + '-' + __ITER,
    },
    timeout: '10s',
  });
}
`;

/** A canary under k6 for `duration`; the gate's decisions and the k6 request figures. */
const underLoad = async (
  candidate: Partial<RouterConfigInput>,
  gate: { windowMs: number; minRequests: number },
  duration: string,
) => {
  const lines: string[] = [];
  const server = await startRegionalServer({
    config: testConfig(sim.url, {
      version: 'stable-1',
      rollout: {
        candidate: 'candidate.yaml',
        percent: 50,
        gate: { ...gate, maxBurnRate: 6, maxTtftP95Ratio: 20, maxCostPerSuccessRatio: 1.25 },
      },
    }),
    candidate: { config: testConfig(sim.url, candidate), percent: 50 },
    port: 0,
    env: {},
    audit: createAuditLog({ secret: SECRET, sink: { write: (line) => void lines.push(line) } }),
  });
  const script = join(dir, 'gate.js');
  const summary = join(dir, `summary-${candidate.version}.json`);
  writeFileSync(script, SCRIPT);
  const run = spawn(
    k6?.path ?? 'k6',
    ['run', '--quiet', '--no-usage-report', '--summary-export', summary, script],
    {
      env: { ...process.env, URL: server.url, DURATION: duration, K6_NO_USAGE_REPORT: 'true' },
      stdio: 'ignore',
    },
  );
  const exit = await new Promise<number | null>((resolve) => run.once('exit', resolve));
  const generation = server.live.current();
  await server.audit?.flush();
  await server.close();
  const metrics = JSON.parse(readFileSync(summary, 'utf8')).metrics as Record<
    string,
    { count?: number; passes?: number }
  >;
  const decisions = lines
    .map((line) => (JSON.parse(line) as SignedAuditEvent).event)
    .filter((e): e is RolloutDecisionAuditEvent => e.type === 'rollout_decision');
  return {
    exit,
    generation,
    decisions,
    lines,
    requests: metrics.http_reqs?.count ?? 0,
    failed: metrics.http_req_failed?.passes ?? -1,
  };
};

describe.skipIf(k6 === undefined)('the rollout gate under k6 load', () => {
  it('rolls back a candidate that raises errors within its window, and promotes one that holds', async () => {
    await simControl(sim.url).fault({ target: 'compat', kind: 'error', status: 500 });
    const broken = await underLoad(
      {
        version: 'candidate-broken',
        routes: { edge: { models: ['glm'] }, regional: { models: ['qwen'] } },
        risk: { degradeToEdge: [] },
      },
      { windowMs: 60_000, minRequests: 30 },
      '6s',
    );
    await simControl(sim.url).clearFaults();
    expect(broken.exit).toBe(0);
    expect(broken.decisions.map((d) => d.decision)).toEqual(['rollback']);
    const [rollback] = broken.decisions;
    const span = Date.parse(rollback?.window.to ?? '') - Date.parse(rollback?.window.from ?? '');
    console.log(
      `rollback after ${span} ms: k6 ${broken.requests} requests, ${broken.failed} failed; candidate ${rollback?.figures.candidate.errors}/${rollback?.figures.candidate.requests} errors, stable ${rollback?.figures.stable.errors}/${rollback?.figures.stable.requests}`,
    );
    expect(span).toBeLessThan(60_000);
    expect(rollback?.figures.stable.errors).toBe(0);
    expect(rollback?.figures.candidate.errors).toBe(rollback?.figures.candidate.requests);
    expect(broken.generation).toMatchObject({ stableVersion: 'stable-1', candidate: undefined });
    // Only the candidate's requests failed, and only until the rollback (in flight at it, some).
    expect(broken.failed).toBeGreaterThanOrEqual(30);
    expect(broken.failed).toBeLessThan(broken.requests / 2);
    expect(await verifyAuditLog(broken.lines, SECRET)).toMatchObject({ ok: true });

    const good = await underLoad(
      { version: 'candidate-good' },
      { windowMs: 3_000, minRequests: 30 },
      '6s',
    );
    expect(good.exit).toBe(0);
    expect(good.decisions.map((d) => [d.decision, d.candidate_version])).toEqual([
      ['promote', 'candidate-good'],
    ]);
    console.log(
      `promote: k6 ${good.requests} requests, ${good.failed} failed; candidate ${good.decisions[0]?.figures.candidate.requests} requests over the window`,
    );
    expect(good.failed).toBe(0);
    expect(good.generation).toMatchObject({
      stableVersion: 'candidate-good',
      candidate: undefined,
    });
    expect(await verifyAuditLog(good.lines, SECRET)).toMatchObject({ ok: true });
  }, 60_000);
});
