import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@switchback/loadtests/sim';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { serveCommand } from '../cli/serve.ts';
import { eventually } from '../testing/harness.ts';
import { testConfig } from '../testing/test-config.ts';

// A ConfigMap volume as the kubelet writes it: the file is a link through `..data`, and an
// update writes a new timestamped directory and swaps `..data` to it in one rename.
const dir = mkdtempSync(join(tmpdir(), 'switchback-configmap-'));
const NAME = 'router.config.json';
let sim: Simulator;
let url: string;
let stop: () => void = () => {};
let served: Promise<number>;

const publish = (generation: number) => {
  const data = join(dir, `..2026_12_03_${generation}`);
  mkdirSync(data);
  writeFileSync(
    join(data, NAME),
    JSON.stringify(testConfig(sim.url, { version: `v${generation}` })),
  );
  symlinkSync(`..2026_12_03_${generation}`, join(dir, '..data_tmp'));
  renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
};

const version = async () =>
  ((await (await fetch(`${url}/healthz`)).json()) as { version: string }).version;

beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  publish(1);
  symlinkSync(join('..data', NAME), join(dir, NAME));
  url = await new Promise<string>((resolve) => {
    served = serveCommand(['--config', join(dir, NAME), '--port', '0'], {
      io: {
        out: () => {},
        err: () => {},
        readStdin: async () => '',
        readFile: (path) => readFile(path, 'utf8'),
      },
      env: {},
      stopSignal: new Promise((done) => {
        stop = () => done('test');
      }),
      onListening: resolve,
    });
  });
});

afterAll(async () => {
  stop();
  expect(await served).toBe(0);
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

it('a ConfigMap update (the kubelet swapping ..data) is reloaded without a restart', async () => {
  expect(await version()).toBe('v1');
  publish(2);
  expect(await eventually(async () => (await version()) === 'v2', 5_000)).toBe(true);
});
