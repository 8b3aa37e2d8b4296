// A background response's Workflow instance survives a restart of the local edge Worker: the
// edge (`wrangler dev --env local --persist-to <dir>`) is killed by pid mid-run and started again
// on the same directory, and the openai SDK polls the response until it completes.
//
// The local Workflows engine keeps each instance's steps on disk but has no alarm: after the
// restart nothing drives an instance that was running (it stays `running`, its response
// `in_progress`). The edge re-drives it on the first read of its unfinished response
// (`BACKGROUND_REDRIVE = "on-read"` in [env.local], edge/src/workflows/redrive.ts): the steps
// that ended return their results, the call that was cut off runs again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../loadtests/src/sim/index.ts';
import { type Child, startChild } from '../../loadtests/src/stack/child.ts';
import { freePort, REPO_ROOT } from '../../loadtests/src/stack/index.ts';
import { waitHealthy } from '../../loadtests/src/stack/wait-healthy.ts';

const KEY = 'sk-local-demo';
const GLM = '@cf/zai-org/glm-4.7-flash';

let sim: Simulator;
let persistDir: string;
let edgePort: number;
let deadPort: number;
let edge: Child | undefined;
const logs: string[] = [];

/** The local edge on `persistDir`; resolves once it answers /healthz. */
const startEdge = async (): Promise<Child> => {
  const child = startChild({
    name: 'edge',
    command: process.execPath,
    args: [
      join(REPO_ROOT, 'node_modules/wrangler/bin/wrangler.js'),
      'dev',
      '--config',
      'wrangler.toml',
      '--env',
      'local',
      '--ip',
      '127.0.0.1',
      '--port',
      String(edgePort),
      '--persist-to',
      persistDir,
      '--show-interactive-dev-session=false',
      // Nobody listens there: a short prompt is served on the edge tier, regional is not needed.
      '--var',
      `REGIONAL_URL:http://127.0.0.1:${deadPort}`,
      '--var',
      `AI_STANDIN_URL:${sim.url}/workers-ai/client/v4/accounts/local/ai`,
    ],
    cwd: REPO_ROOT,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
    onLine: (name, line) => logs.push(`[${name}] ${line}`),
  });
  await waitHealthy(`http://127.0.0.1:${edgePort}/healthz`, {
    timeoutMs: 90_000,
    exited: child.exited,
    name: 'edge',
  });
  return child;
};

/** Kills wrangler and its workerd at once (the process group led by wrangler's pid). */
const killEdge = async (child: Child): Promise<void> => {
  const pid = child.process.pid;
  if (pid === undefined) throw new Error('the edge has no pid');
  process.kill(-pid, 'SIGKILL');
  await child.exited;
};

type GlmStats = { calls: number; inFlight: number; completed: number; clientAborted: number };
const glm = async (): Promise<GlmStats> => {
  const stats = (await (await fetch(`${sim.url}/_sim/stats`)).json()) as {
    targets: Record<string, Record<string, GlmStats>>;
  };
  return (
    stats.targets['workers-ai']?.[GLM] ?? { calls: 0, inFlight: 0, completed: 0, clientAborted: 0 }
  );
};

/** Polls `check` every 100 ms, `times` times at most; whether it came true. */
const eventually = async (check: () => Promise<boolean> | boolean, times = 600) => {
  for (let i = 0; i < times; i++) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
};

beforeAll(async () => {
  sim = await startSimulator({ port: 0, ttftMs: 5, itlMs: 1, tokens: 24 });
  persistDir = mkdtempSync(join(tmpdir(), 'switchback-edge-restart-'));
  edgePort = await freePort();
  deadPort = await freePort();
  edge = await startEdge();
});

afterAll(async () => {
  await edge?.stop();
  await sim?.close();
  rmSync(persistDir, { recursive: true, force: true });
});

describe('a background response at the local edge, across a restart of the Worker', () => {
  it('a Workflow instance survives a restart of the local Worker mid-run and completes', async () => {
    const client = () =>
      new OpenAI({ apiKey: KEY, baseURL: `http://127.0.0.1:${edgePort}/v1`, maxRetries: 0 });
    // The first answer is slow (a token every 400 ms): the Worker is killed while it streams.
    await fetch(`${sim.url}/_sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        target: 'workers-ai',
        model: GLM,
        kind: 'slow_tokens',
        delayMs: 400,
        count: 1,
      }),
    });
    const queued = await client().responses.create({
      model: 'auto',
      input: 'Say hello in one short sentence.',
      background: true,
    });
    expect(queued.status).toBe('queued');
    // Mid-run: its call step is streaming the answer from upstream.
    expect(await eventually(async () => (await glm()).inFlight === 1)).toBe(true);
    expect((await client().responses.retrieve(queued.id)).status).toBe('in_progress');
    if (edge === undefined) throw new Error('the edge runs');
    await killEdge(edge);
    edge = undefined;
    // The killed Worker's upstream call ended with it.
    expect(await eventually(async () => (await glm()).inFlight === 0)).toBe(true);
    expect(await glm()).toMatchObject({ calls: 1, completed: 0, clientAborted: 1 });

    edge = await startEdge();
    const ended = async () =>
      !['queued', 'in_progress'].includes(
        (await client().responses.retrieve(queued.id)).status ?? '',
      );
    expect(await eventually(ended)).toBe(true);
    const done = await client().responses.retrieve(queued.id);
    expect(done).toMatchObject({ id: queued.id, status: 'completed', background: true });
    expect(done.output_text).toMatch(/\S/);
    // The call cut off by the kill ran again, whole; the run's events read back in order.
    expect(await glm()).toMatchObject({ calls: 2, completed: 1, clientAborted: 1 });
    const stream = await client().responses.retrieve(queued.id, { stream: true });
    const events = [];
    for await (const event of stream) events.push(event);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, i) => i));
    expect([events[0]?.type, events.at(-1)?.type]).toEqual([
      'response.created',
      'response.completed',
    ]);
  });
});
