import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../../loadtests/src/stack/start-stack.ts';
import { startTarget } from '../src/start-targets.ts';

test('with --out outside the repo, switchback serve still starts from its bundle and is removed after', async () => {
  const outDir = mkdtempSync(join(tmpdir(), 'switchback-bench-out-'));
  const before = new Set(
    existsSync(join(REPO_ROOT, 'regional/dist'))
      ? readdirSync(join(REPO_ROOT, 'regional/dist'))
      : [],
  );
  try {
    const running = await startTarget(
      'switchback',
      { simUrl: 'http://127.0.0.1:9', logDir: outDir, cpuProfDir: undefined, log: () => {} },
      undefined,
    );
    const health = await fetch(`${running.url}/healthz`);
    assert.equal(health.status, 200);
    await health.body?.cancel();
    const built = readdirSync(join(REPO_ROOT, 'regional/dist')).filter((n) => !before.has(n));
    assert.equal(built.length, 1);
    assert.match(built[0] ?? '', /^bench-/);
    await running.process.stop();
    running.cleanup?.();
    assert.equal(existsSync(join(REPO_ROOT, 'regional/dist', built[0] ?? '')), false);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
});
