import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@switchback/loadtests/sim';
import { canaryBucket, decidedByCandidate } from '@switchback/router-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../cli/cli-io.ts';
import { type RegionalServer, startRegionalServer } from '../start-regional-server.ts';
import { chatRequest } from '../testing/chat-request.ts';
import { testConfig } from '../testing/test-config.ts';
import { loadLiveConfig } from './load-live-config.ts';

const dir = mkdtempSync(join(tmpdir(), 'switchback-canary-'));
const io: CliIo = {
  out() {},
  err() {},
  readStdin: async () => '',
  readFile: (path) => readFile(path, 'utf8'),
};
let sim: Simulator;
let server: RegionalServer;

const chat = (session: string) =>
  fetch(
    chatRequest(
      { model: 'smart', messages: [{ role: 'user', content: 'hello' }] },
      { headers: { 'x-session-affinity': session }, url: `${server.url}/v1/chat/completions` },
    ),
  );

beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  // What is tested is the split: a request must not fall back to another model because 60 at
  // once on a loaded machine outlast the test config's 400 ms TTFT (seen in full runs at load 12).
  const budgets = { default: { ttftMs: 10_000, totalMs: 30_000, policyMs: 50 } };
  const stable = testConfig(sim.url, { version: 'stable-1', budgets });
  // The candidate puts Bedrock (claude) first on the regional route.
  const candidate = testConfig(sim.url, {
    version: 'candidate-1',
    budgets,
    routes: { edge: { models: ['glm'] }, regional: { models: ['claude', 'gpt'] } },
  });
  writeFileSync(join(dir, 'candidate.json'), JSON.stringify(candidate));
  writeFileSync(
    join(dir, 'router.config.json'),
    JSON.stringify({ ...stable, rollout: { candidate: 'candidate.json', percent: 25 } }),
  );
  const loaded = await loadLiveConfig(io, join(dir, 'router.config.json'));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  server = await startRegionalServer({
    config: loaded.live.config,
    candidate: loaded.live.candidate,
    port: 0,
    env: {},
  });
});

afterAll(async () => {
  await server.close();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('canary rollout', () => {
  it('the candidate decides its share of sessions, each session always on one side, counted per version', async () => {
    const sessions = Array.from({ length: 60 }, (_, i) => `session-${i}`);
    const expected = sessions.filter((s) => canaryBucket(s) < 2_500);
    const modelOf = async (session: string) => {
      const response = await chat(session);
      expect(response.status).toBe(200);
      await response.arrayBuffer();
      return response.headers.get('x-router-model');
    };
    const models = await Promise.all(sessions.map(modelOf));
    expect(sessions.filter((_, i) => models[i] === 'claude')).toEqual(expected);
    expect(expected.length).toBeGreaterThan(8);
    expect(expected.length).toBeLessThan(24);
    // A session asked again stays where it was.
    const again = sessions.slice(0, 10);
    expect(await Promise.all(again.map(modelOf))).toEqual(
      again.map((s) => (expected.includes(s) ? 'claude' : 'gpt')),
    );
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    const againOnCandidate = again.filter((s) => expected.includes(s)).length;
    expect(metrics).toContain(
      `router_config_requests_total{version="candidate-1",role="candidate"} ${expected.length + againOnCandidate}`,
    );
    expect(metrics).toContain(
      `router_config_requests_total{version="stable-1",role="stable"} ${70 - expected.length - againOnCandidate}`,
    );
  });

  it('shows the stable version and the canary in /healthz', async () => {
    const health = await (await fetch(`${server.url}/healthz`)).json();
    expect(health).toMatchObject({
      status: 'ok',
      version: 'stable-1',
      canary: { version: 'candidate-1', percent: 25 },
    });
  });

  it('refuses a rollout whose candidate is invalid, naming the field', async () => {
    const stable = testConfig(sim.url, { version: 'stable-2' });
    writeFileSync(
      join(dir, 'bad.json'),
      JSON.stringify({ ...stable, rollout: { candidate: { version: 'x' }, percent: 10 } }),
    );
    const loaded = await loadLiveConfig(io, join(dir, 'bad.json'));
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.issues[0]?.path).toMatch(/^rollout\.candidate\./);
  });

  it('draws a request without a session or request id at random, and honours 0 and 100', () => {
    const none = { get: () => null };
    expect(decidedByCandidate(none, 50, () => 0.49)).toBe(true);
    expect(decidedByCandidate(none, 50, () => 0.5)).toBe(false);
    expect(decidedByCandidate(none, 0, () => 0)).toBe(false);
    expect(decidedByCandidate(none, 100, () => 0.99)).toBe(true);
  });
});
