import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const K6_VERSION = 'v1.8.1';

const onPath = (name: string): string | undefined => {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const path = found.stdout.trim();
  return found.status === 0 && path !== '' ? path : undefined;
};

/** The k6 binary: on PATH, in GOPATH/bin, or built now with `go install` (k6 is not on npm). */
export const ensureK6 = (log: (line: string) => void): string => {
  const existing = onPath('k6');
  if (existing) return existing;
  const gopath = execFileSync('go', ['env', 'GOPATH'], { encoding: 'utf8' }).trim();
  const built = join(gopath, 'bin', 'k6');
  if (existsSync(built)) return built;
  log(`k6 not found: installing go.k6.io/k6@${K6_VERSION} with go install (a few minutes, once)…`);
  const install = spawnSync('go', ['install', `go.k6.io/k6@${K6_VERSION}`], { stdio: 'inherit' });
  if (install.status !== 0 || !existsSync(built)) {
    throw new Error(`go install go.k6.io/k6@${K6_VERSION} failed (exit ${install.status})`);
  }
  return built;
};
