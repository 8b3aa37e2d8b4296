import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@switchback/loadtests/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPLAY_COMPACTION } from '../../../router-core/test/compaction/replay-case.ts';
import { conversation } from '../../../router-core/test/conversation.ts';
import { type RegionalServer, startRegionalServer } from '../start-regional-server.ts';
import { eventually } from '../testing/harness.ts';
import { simControl } from '../testing/sim-control.ts';
import { TEST_KEY, testConfig } from '../testing/test-config.ts';

type Event = { request_id: string; compaction?: Record<string, unknown> };

let sim: Simulator;
let server: RegionalServer;
let dir: string;
let auditFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchback-compaction-audit-'));
  auditFile = join(dir, 'audit.jsonl');
  sim = await startSimulator({ port: 0 });
  server = await startRegionalServer({
    config: testConfig(sim.url, {
      budgets: { default: { ttftMs: 2000, totalMs: 10000, policyMs: 50 } },
      compaction: { workflows: {}, auto: { ...REPLAY_COMPACTION, summarizer: 'glm' } },
    }),
    port: 0,
    env: { SWITCHBACK_AUDIT_SECRET: 'compaction-audit-secret', SWITCHBACK_AUDIT_FILE: auditFile },
  });
});
afterAll(async () => {
  await server?.close();
  await sim?.close();
  await rm(dir, { recursive: true, force: true });
});

const turn = (session: string, turns: number, requestId: string, model = 'fast') =>
  fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${TEST_KEY}`,
      'content-type': 'application/json',
      'x-session-affinity': session,
      'x-switchback-compaction': 'auto',
      'x-request-id': requestId,
    },
    body: JSON.stringify({ model, messages: conversation(turns, session) }),
  });

const eventOf = async (requestId: string): Promise<Event | undefined> => {
  const text = await readFile(auditFile, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => (JSON.parse(line) as { event: Event }).event)
    .find((event) => event.request_id === requestId);
};

describe('checkpoints in the audit log and metrics', () => {
  it('keeps one audit record per checkpoint: its hash, the turns it covers, the model that wrote it', async () => {
    for (let t = 12; t <= 15; t++)
      expect((await turn('audited', t, `audited-${t}`)).status).toBe(200);
    expect(await eventually(async () => (await eventOf('audited-15')) !== undefined, 5_000)).toBe(
      true,
    );
    expect((await eventOf('audited-13'))?.compaction).toEqual({
      result: 'whole',
      reason: 'below_threshold',
    });
    const made = (await eventOf('audited-14'))?.compaction;
    expect(made).toMatchObject({
      result: 'applied',
      covered_turns: 10,
      checkpoint: { covered_turns: 10, covered_messages: 20, model: 'glm' },
    });
    expect(made?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((made?.checkpoint as { sha256: string } | undefined)?.sha256).toBe(made?.sha256);
    // The next turn uses it and makes none.
    const used = (await eventOf('audited-15'))?.compaction;
    expect(used).toMatchObject({ result: 'applied', covered_turns: 10, sha256: made?.sha256 });
    expect(used?.checkpoint).toBeUndefined();
  });

  it('answers whole when the summarizer fails, and counts the failure', async () => {
    const control = simControl(sim.url);
    // The summarizer (glm on Workers AI) fails every attempt; the answer comes from regional.
    await control.fault({
      target: 'workers-ai',
      model: '@cf/zai-org/glm-4.7-flash',
      kind: 'error',
      status: 500,
      count: 20,
    });
    try {
      const res = await turn('failing', 14, 'failing-14', 'smart');
      expect(res.status).toBe(200);
      expect(res.headers.get('x-router-compaction')).toBe('whole; reason=summary_failed');
    } finally {
      await control.clearFaults();
    }
    expect(await eventually(async () => (await eventOf('failing-14')) !== undefined, 5_000)).toBe(
      true,
    );
    expect((await eventOf('failing-14'))?.compaction).toMatchObject({
      result: 'whole',
      reason: 'summary_failed',
      failure: expect.stringMatching(/^summarizer: /),
    });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^router_compaction_failures_total\{workflow="default"\} 1$/m);
    expect(metrics).toMatch(/^router_compaction_checkpoints_total\{workflow="default"\} 1$/m);
  });
});
