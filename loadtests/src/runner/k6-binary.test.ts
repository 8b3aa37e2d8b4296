import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureK6, findK6, k6InstallHint } from './k6-binary.ts';

const fakeK6 = (dir: string): string => {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'k6');
  writeFileSync(path, '#!/bin/sh\necho k6 v1.8.1\n');
  chmodSync(path, 0o755);
  return path;
};

// A machine with neither k6 nor Go: an empty PATH and an empty project-local dir.
const bare = () => {
  const root = mkdtempSync(join(tmpdir(), 'switchback-k6-'));
  const emptyBin = join(root, 'empty-bin');
  mkdirSync(emptyBin);
  return { root, localDir: join(root, '.cache/bin'), env: { PATH: emptyBin, HOME: root } };
};

describe('finding k6 for the load tests', () => {
  it('takes SWITCHBACK_K6 first, then the project-local build, then PATH', () => {
    const { root, localDir, env } = bare();
    const onPath = fakeK6(join(root, 'path-bin'));
    const withPath = { ...env, PATH: join(root, 'path-bin') };
    expect(findK6(withPath, localDir)).toEqual({ path: onPath, from: 'PATH' });
    const local = fakeK6(localDir);
    expect(findK6(withPath, localDir)).toEqual({ path: local, from: '.cache/bin' });
    const pinned = fakeK6(join(root, 'pinned'));
    expect(findK6({ ...withPath, SWITCHBACK_K6: pinned }, localDir)).toEqual({
      path: pinned,
      from: 'SWITCHBACK_K6',
    });
  });

  it('refuses a SWITCHBACK_K6 that names no file', () => {
    const { localDir, env } = bare();
    expect(() => findK6({ ...env, SWITCHBACK_K6: '/no/such/k6' }, localDir)).toThrow(
      'SWITCHBACK_K6=/no/such/k6: no such file',
    );
  });

  it('without k6 and without Go, fails with the commands to run', () => {
    const { localDir, env } = bare();
    const logged: string[] = [];
    expect(() => ensureK6((line) => logged.push(line), env, localDir)).toThrow(k6InstallHint());
    expect(k6InstallHint()).toContain('GOBIN="$PWD/.cache/bin" go install go.k6.io/k6@v1.8.1');
    expect(k6InstallHint()).toContain('SWITCHBACK_K6=/path/to/k6 npm test');
    expect(logged).toEqual([]);
  });
});
