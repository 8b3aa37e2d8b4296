import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@switchback/loadtests/sim';
import type { RouterConfigInput } from '@switchback/router-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../cli/cli-io.ts';
import { serveCommand } from '../cli/serve.ts';
import { eventually } from '../testing/harness.ts';
import { simControl } from '../testing/sim-control.ts';
import { TEST_KEY, testConfig } from '../testing/test-config.ts';

const dir = mkdtempSync(join(tmpdir(), 'switchback-reload-'));
const file = join(dir, 'router.config.json');
let sim: Simulator;
let url: string;
let stop: () => void;
let served: Promise<number>;
const logs: Record<string, unknown>[] = [];

const write = (version: string, overrides: Partial<RouterConfigInput> = {}) =>
  writeFileSync(file, JSON.stringify(testConfig(sim.url, { version, ...overrides }), null, 2));

const healthVersion = async (): Promise<string> =>
  ((await (await fetch(`${url}/healthz`)).json()) as { version: string }).version;

const chat = (sessionAffinity: string) =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${TEST_KEY}`,
      'content-type': 'application/json',
      'x-session-affinity': sessionAffinity,
    },
    // `smart` pins the regional route, whose primary each config version names differently.
    body: JSON.stringify({ model: 'smart', messages: [{ role: 'user', content: 'hello' }] }),
  });

const logged = (msg: string) => logs.filter((entry) => entry.msg === msg);

beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  write('v1');
  const io: CliIo = {
    out: (line) => logs.push(JSON.parse(line)),
    err: (line) => logs.push({ msg: 'stderr', line }),
    readStdin: async () => '',
    readFile: (path) => readFile(path, 'utf8'),
  };
  const listening = new Promise<string>((resolve) => {
    served = serveCommand(['--config', file, '--port', '0'], {
      io,
      env: { SWITCHBACK_OPERATOR: 'alice@sre' },
      stopSignal: new Promise((resolve) => {
        stop = () => resolve('test');
      }),
      onListening: resolve,
    });
  });
  url = await listening;
});

afterAll(async () => {
  stop();
  expect(await served).toBe(0);
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('hot reload of the regional config', () => {
  it('a config changed under load serves from the next request on, with no failed request', async () => {
    expect(await healthVersion()).toBe('v1');
    const statuses: number[] = [];
    const models = new Set<string>();
    let reloaded = false;
    // Four clients, bounded: at most 100 requests each, ending soon after the reload took hold.
    const client = async (n: number) => {
      for (let i = 0; i < 100; i++) {
        const response = await chat(`client-${n}-${i}`);
        statuses.push(response.status);
        models.add(response.headers.get('x-router-model') ?? '');
        await response.arrayBuffer();
        if (reloaded && i > 10) return;
      }
    };
    const load = Promise.all([0, 1, 2, 3].map(client));
    await eventually(() => statuses.length >= 20, 5_000);
    write('v2', { routes: { edge: { models: ['glm'] }, regional: { models: ['claude', 'gpt'] } } });
    expect(await eventually(async () => (await healthVersion()) === 'v2', 5_000)).toBe(true);
    reloaded = true;
    await load;

    expect(statuses.length).toBeGreaterThan(20);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(models).toEqual(new Set(['gpt', 'claude']));
    expect(logged('config reloaded')).toEqual([
      expect.objectContaining({
        level: 'info',
        trigger: 'file',
        from_version: 'v1',
        config_version: 'v2',
        operator: 'alice@sre',
      }),
    ]);
  });

  it('a request in flight finishes on the config it started with', async () => {
    // The primary of v2 (claude on Bedrock) answers its next request 300 ms late.
    await simControl(sim.url).fault({
      target: 'bedrock',
      kind: 'slow_first_token',
      delayMs: 300,
      count: 1,
    });
    const inFlight = chat('in-flight');
    await new Promise((resolve) => setTimeout(resolve, 100));
    write('v3', { routes: { edge: { models: ['glm'] }, regional: { models: ['qwen'] } } });
    process.emit('SIGHUP', 'SIGHUP');
    expect(await eventually(async () => (await healthVersion()) === 'v3', 5_000)).toBe(true);
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(response.headers.get('x-router-model')).toBe('claude');
    expect((await chat('after')).headers.get('x-router-model')).toBe('qwen');
  });

  it('a bad config is refused with the reason logged, and the good one keeps serving', async () => {
    const config = testConfig(sim.url, { version: 'v4-bad' });
    writeFileSync(
      file,
      JSON.stringify({
        ...config,
        classification: { ...config.classification, regionalThreshold: 7 },
      }),
    );
    process.emit('SIGHUP', 'SIGHUP');
    expect(await eventually(() => logged('config reload refused').length > 0, 5_000)).toBe(true);
    const [refusal] = logged('config reload refused');
    expect(refusal).toMatchObject({ level: 'error', config_version: 'v3', operator: 'alice@sre' });
    expect(refusal?.issues).toEqual([
      expect.stringMatching(/^classification\.regionalThreshold: /),
    ]);
    expect(await healthVersion()).toBe('v3');
    expect((await chat('still-good')).status).toBe(200);
  });
});
