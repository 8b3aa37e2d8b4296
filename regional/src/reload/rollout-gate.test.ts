import { type Simulator, startSimulator } from '@switchback/loadtests/sim';
import {
  type AuditEvent,
  createAuditLog,
  type RolloutDecisionAuditEvent,
  type RouterConfigInput,
  type SignedAuditEvent,
  verifyAuditLog,
} from '@switchback/router-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chatRequest } from '../testing/chat-request.ts';
import { simControl } from '../testing/sim-control.ts';
import { testConfig } from '../testing/test-config.ts';
import { createLiveRegional, type LiveRegional } from './live-regional.ts';

const SECRET = 'rollout-gate-secret';
let sim: Simulator;
let live: LiveRegional | undefined;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, ttftMs: 5, tokens: 4 });
});
afterEach(async () => {
  live?.close();
  live = undefined;
  await simControl(sim.url).clearFaults();
});
afterAll(() => sim.close());

const gate = (over: object = {}) => ({
  windowMs: 60_000,
  minRequests: 10,
  maxBurnRate: 6,
  maxTtftP95Ratio: 10,
  maxCostPerSuccessRatio: 1.25,
  ...over,
});

/** A canary of `candidate` over a stable config, 50 % of sessions, with the gate on a fake clock. */
const canary = (candidate: Partial<RouterConfigInput>, clock: { t: number }) => {
  const lines: string[] = [];
  const decisions: RolloutDecisionAuditEvent[] = [];
  const audit = createAuditLog({
    secret: SECRET,
    sink: { write: (line) => void lines.push(line) },
  });
  const stable = testConfig(sim.url, {
    version: 'stable-1',
    rollout: { candidate: 'candidate.yaml', percent: 50, gate: gate() },
  });
  live = createLiveRegional({
    live: {
      config: stable,
      candidate: { config: testConfig(sim.url, candidate), percent: 50 },
    },
    env: {},
    audit,
    now: () => clock.t,
    onRolloutDecision: (event) => decisions.push(event),
  });
  return { live, lines, decisions, audit };
};

const chat = async (regional: LiveRegional, session: string) => {
  const response = await regional.fetch(
    chatRequest(
      { model: 'smart', messages: [{ role: 'user', content: 'hello' }] },
      { headers: { 'x-session-affinity': session } },
    ),
  );
  await response.arrayBuffer();
  return response.status;
};

/** The gate's events among the log's (every chat request has its own too). */
const decisionEvents = (lines: string[]): AuditEvent[] =>
  lines
    .map((line) => (JSON.parse(line) as SignedAuditEvent).event)
    .filter((event) => event.type === 'rollout_decision');

describe('the rollout gate', () => {
  it('rolls back a candidate that raises errors, within its window, with the figures in an audit event', async () => {
    const clock = { t: 1_000_000 };
    // The candidate serves regional from vLLM only, which fails every call, and may not degrade.
    const {
      live: regional,
      lines,
      decisions,
      audit,
    } = canary(
      {
        version: 'candidate-broken',
        routes: { edge: { models: ['glm'] }, regional: { models: ['qwen'] } },
        risk: { degradeToEdge: [] },
      },
      clock,
    );
    await simControl(sim.url).fault({ target: 'compat', kind: 'error', status: 500 });
    const statuses: number[] = [];
    for (let i = 0; i < 200 && decisions.length === 0; i++) {
      clock.t += 100;
      statuses.push(await chat(regional, `session-${i}`));
    }
    expect(decisions.map((d) => d.decision)).toEqual(['rollback']);
    const [decision] = decisions;
    expect(decision?.figures.candidate.errors).toBe(decision?.figures.candidate.requests);
    expect(decision?.figures.candidate.requests).toBe(10);
    expect(decision?.figures.stable.errors).toBe(0);
    expect(decision?.reasons[0]).toMatch(/^burn rate 1000\.00 > 6 \(stable 0\.00\)$/);
    expect(
      Date.parse(decision?.window.to ?? '') - Date.parse(decision?.window.from ?? ''),
    ).toBeLessThan(60_000);
    // Every request after the rollback is the stable config's.
    expect(regional.current()).toMatchObject({ stableVersion: 'stable-1', candidate: undefined });
    const after = await Promise.all(
      Array.from({ length: 10 }, (_, i) => chat(regional, `session-${i}`)),
    );
    expect(after).toEqual(Array(10).fill(200));
    expect(statuses.filter((s) => s !== 200)).toHaveLength(10);

    await audit.flush();
    expect(decisionEvents(lines)).toEqual([decision]);
    expect(await verifyAuditLog(lines, SECRET)).toMatchObject({ ok: true, count: lines.length });
  });

  it('promotes a candidate that holds once its window has passed, and not before', async () => {
    const clock = { t: 2_000_000 };
    const {
      live: regional,
      lines,
      decisions,
      audit,
    } = canary({ version: 'candidate-good' }, clock);
    for (let i = 0; i < 60; i++) expect(await chat(regional, `session-${i}`)).toBe(200);
    const sides = regional.current().gate;
    expect(sides?.verdict(clock.t)).toBeUndefined();
    expect(decisions).toEqual([]);

    clock.t += 60_000;
    expect(await chat(regional, 'session-60')).toBe(200);
    expect(decisions.map((d) => [d.decision, d.stable_version, d.candidate_version])).toEqual([
      ['promote', 'stable-1', 'candidate-good'],
    ]);
    expect(decisions[0]?.figures.candidate.errors).toBe(0);
    expect(regional.current()).toMatchObject({
      stableVersion: 'candidate-good',
      candidate: undefined,
    });
    await audit.flush();
    expect(decisionEvents(lines)).toEqual(decisions);
    expect(await verifyAuditLog(lines, SECRET)).toMatchObject({ ok: true, count: lines.length });
  });
});
