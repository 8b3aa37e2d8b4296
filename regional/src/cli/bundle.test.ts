import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './run-cli.ts';

// The production bundle (regional/scripts/build.ts) is a different artifact from the sources the
// other tests run: build it, then check it validates a config and serves.
// Inside the repo, as the real bundle is: its external SDKs resolve from node_modules.
mkdirSync(join(REPO_ROOT, 'regional/dist'), { recursive: true });
const dir = mkdtempSync(join(REPO_ROOT, 'regional/dist/test-'));
const bundle = join(dir, 'switchback.mjs');

const run = (args: string[]): Promise<{ code: number; stdout: string }> =>
  new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: REPO_ROOT }, (error, stdout) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }),
    );
  });

describe('the production bundle', () => {
  beforeAll(async () => {
    const built = await run(['regional/scripts/build.ts', '--outfile', bundle]);
    expect(built.code).toBe(0);
  }, 60_000);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('validates the example config as the sources do', async () => {
    const result = await run([bundle, 'validate', 'router.config.yaml']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^OK router\.config\.yaml: version /);
  });

  it('serves: healthz answers, and SIGTERM stops it with exit 0', async () => {
    const child = spawn(
      process.execPath,
      [bundle, 'serve', '--config', 'router.config.yaml', '--port', '0'],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env } },
    );
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        const match = /"msg":"listening","url":"([^"]+)"/.exec(out);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
    });
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 30_000);
});
