import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { TEST_KEY, testConfig } from './testing/test-config.ts';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'switchback-main-'));

/** Runs main.ts on port 0 and resolves with its URL once it logs `listening`. */
const start = (env: Record<string, string>) => {
  const child = spawn(process.execPath, [MAIN, '--config', join(dir, 'config.yaml')], {
    env: { ...process.env, REGIONAL_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const listening = new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (data: Buffer) => {
      buffer += data.toString('utf8');
      let newline = buffer.indexOf('\n');
      while (newline !== -1) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        lines.push(line);
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'listening' && entry.url) resolve(entry.url);
        newline = buffer.indexOf('\n');
      }
    });
    child.once('exit', (code) => reject(new Error(`main.ts exited with ${code} before listening`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, lines, listening, exited };
};

describe('node regional/src/main.ts', () => {
  beforeAll(() => {
    // Providers point nowhere: this test is about the process, not the answers.
    writeFileSync(join(dir, 'config.yaml'), stringify(testConfig('http://127.0.0.1:9')));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves, logs one JSON line per request without the API key, and stops cleanly on SIGTERM', async () => {
    const run = start({ SWITCHBACK_HMAC_SECRET: 'x' });
    const url = await run.listening;
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    const models = await fetch(`${url}/v1/models`, {
      headers: { authorization: `Bearer ${TEST_KEY}` },
    });
    expect(models.status).toBe(200);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    const requests = run.lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((e) => e.msg === 'request');
    expect(requests.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      'GET /healthz 200',
      'GET /v1/models 200',
    ]);
    expect(requests[1]).toMatchObject({ tenant: 'demo', key_id: 'test-key' });
    expect(run.lines.join('\n')).not.toContain(TEST_KEY);
  }, 30_000);

  it('exits 1 with a readable message when the config is invalid', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'version: 1\n');
    const child = spawn(process.execPath, [MAIN, '--config', join(dir, 'bad.yaml')], {
      env: { ...process.env, REGIONAL_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (data: Buffer) => {
      stderr += data.toString('utf8');
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('is not a valid config');
  }, 30_000);
});
