import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { REPO_ROOT } from '../stack/index.ts';

export const K6_VERSION = 'v1.8.1';
export const K6_MODULE = `go.k6.io/k6@${K6_VERSION}`;

/** Where the tests and the runner build k6 when none is installed (git-ignored). */
export const LOCAL_K6_DIR = join(REPO_ROOT, '.cache', 'bin');

export type K6Found = {
  path: string;
  from: 'SWITCHBACK_K6' | '.cache/bin' | 'PATH' | 'GOPATH/bin';
};

const onPath = (name: string, path: string | undefined): string | undefined => {
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
};

const goPathBin = (env: NodeJS.ProcessEnv): string | undefined => {
  const go = spawnSync('go', ['env', 'GOPATH'], { encoding: 'utf8', env });
  if (go.status !== 0) return undefined;
  const first = go.stdout.trim().split(delimiter)[0];
  return first === undefined || first === '' ? undefined : join(first, 'bin', 'k6');
};

/**
 * The k6 binary already on this machine, in order: `SWITCHBACK_K6` (a path), the project's
 * `.cache/bin`, PATH, then `$(go env GOPATH)/bin` (where a plain `go install` puts it).
 */
export const findK6 = (
  env: NodeJS.ProcessEnv = process.env,
  localDir: string = LOCAL_K6_DIR,
): K6Found | undefined => {
  const explicit = env.SWITCHBACK_K6;
  if (explicit !== undefined && explicit !== '') {
    if (!existsSync(explicit)) throw new Error(`SWITCHBACK_K6=${explicit}: no such file`);
    return { path: explicit, from: 'SWITCHBACK_K6' };
  }
  const local = join(localDir, 'k6');
  if (existsSync(local)) return { path: local, from: '.cache/bin' };
  const fromPath = onPath('k6', env.PATH);
  if (fromPath !== undefined) return { path: fromPath, from: 'PATH' };
  const fromGoPath = goPathBin(env);
  if (fromGoPath !== undefined && existsSync(fromGoPath)) {
    return { path: fromGoPath, from: 'GOPATH/bin' };
  }
  return undefined;
};

/** What to run when k6 cannot be built here: the same build, by hand, or a binary of one's own. */
export const k6InstallHint = (): string =>
  [
    `k6 ${K6_VERSION} is needed for the load tests and the SLO smoke in npm test, and it is not on this machine.`,
    `It is not on npm: it is built from Go (${K6_MODULE}, 3-4 minutes once), and Go is not on PATH.`,
    'Install Go (https://go.dev/dl/), then either run npm test again or build it yourself:',
    `  GOBIN="$PWD/.cache/bin" go install ${K6_MODULE}`,
    'or point the tests at a k6 binary you have: SWITCHBACK_K6=/path/to/k6 npm test',
  ].join('\n');

const seconds = (ms: number): string => `${(ms / 1000).toFixed(0)} s`;

/**
 * The k6 binary: one already installed (see `findK6`), else built now into `.cache/bin` with
 * `go install` (k6 is not on npm), saying so and how long it took. Throws with the command to
 * run when Go is missing or the build fails.
 */
export const ensureK6 = (
  log: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
  localDir: string = LOCAL_K6_DIR,
): string => {
  const found = findK6(env, localDir);
  if (found !== undefined) return found.path;
  const hasGo = spawnSync('go', ['version'], { encoding: 'utf8', env });
  if (hasGo.error !== undefined || hasGo.status !== 0) throw new Error(k6InstallHint());
  log(
    `k6 not found: building ${K6_MODULE} into .cache/bin with go install (${hasGo.stdout.trim()}; 3-4 minutes on a fresh machine, once)…`,
  );
  const started = Date.now();
  const install = spawnSync('go', ['install', K6_MODULE], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...env, GOBIN: localDir },
  });
  const built = join(localDir, 'k6');
  if (install.status !== 0 || !existsSync(built)) {
    throw new Error(
      `go install ${K6_MODULE} failed (exit ${install.status}) after ${seconds(Date.now() - started)}; run it by hand to see why:\n  GOBIN="${localDir}" go install ${K6_MODULE}`,
    );
  }
  log(`k6 ${K6_VERSION} built in ${seconds(Date.now() - started)}: ${built}`);
  return built;
};
