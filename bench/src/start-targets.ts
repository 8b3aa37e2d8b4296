import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from '../../loadtests/src/stack/ports.ts';
import { REPO_ROOT } from '../../loadtests/src/stack/start-stack.ts';
import { waitHealthy } from '../../loadtests/src/stack/wait-healthy.ts';
import { type GroupTracker, trackGroup } from './proc-stats.ts';
import { type ServerProcess, spawnServer } from './server-process.ts';
import { requestFor, type TargetName, WORKERS_AI_V1 } from './targets.ts';

export const BENCH_DIR = join(REPO_ROOT, 'bench');
export const BENCH_CONFIG = join(BENCH_DIR, 'bench.config.yaml');
const FLOOR_SERVER = join(BENCH_DIR, 'floor/main.js');
const PORTKEY_SERVER = join(
  BENCH_DIR,
  'portkey/node_modules/@portkey-ai/gateway/build/start-server.js',
);
const WRANGLER = join(REPO_ROOT, 'node_modules/wrangler/bin/wrangler.js');
const HOST = '127.0.0.1';

/** A server under test (or the simulator), up and answering. */
export type Running = {
  name: TargetName | 'simulator';
  url: string;
  process: ServerProcess;
  group: GroupTracker;
  /** Command names that are the server itself (the edge's workerd, not wrangler's tooling). */
  serverCommands?: string[];
  /** Files to remove once it stopped. */
  cleanup?: () => void;
};

export type StartContext = {
  simUrl: string;
  logDir: string;
  /** `node --cpu-prof` for switchback serve, writing here. */
  cpuProfDir: string | undefined;
  log: (line: string) => void;
};

const START_TIMEOUT_MS = 90_000;

const baseEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  NODE_ENV: 'production',
  WRANGLER_SEND_METRICS: 'false',
  // Offline: wrangler must not try to fetch the `Request.cf` object from Cloudflare.
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
});

const started = async (
  name: Running['name'],
  url: string,
  proc: ServerProcess,
  healthPath: string,
  extra: Partial<Running> = {},
): Promise<Running> => {
  try {
    await waitHealthy(`${url}${healthPath}`, {
      timeoutMs: START_TIMEOUT_MS,
      exited: proc.exited,
      name,
    });
  } catch (error) {
    await proc.stop();
    extra.cleanup?.();
    throw error;
  }
  return { name, url, process: proc, group: trackGroup(proc.pid), ...extra };
};

/** The simulated providers, zero delay, in a process of their own. */
export const startSimulator = async (logDir: string): Promise<Running> => {
  const port = await freePort(HOST);
  const proc = spawnServer({
    name: 'simulator',
    command: process.execPath,
    args: ['loadtests/src/sim/main.ts'],
    cwd: REPO_ROOT,
    env: {
      ...baseEnv(),
      PROVIDERS_PORT: String(port),
      SIM_TTFT_MS: '0',
      SIM_ITL_MS: '0',
      SIM_TOKENS: '16',
    },
    logFile: join(logDir, 'simulator.log'),
  });
  return started('simulator', `http://${HOST}:${port}`, proc, '/_sim/stats');
};

/** Why a target cannot run in this tree, or undefined when it can. */
export const unavailable = (name: TargetName): string | undefined => {
  switch (name) {
    case 'direct':
    case 'floor':
      return undefined;
    case 'switchback':
      return existsSync(join(REPO_ROOT, 'regional/src/cli/serve.ts'))
        ? undefined
        : 'switchback serve is not built yet (regional/src/cli/serve.ts is missing)';
    case 'edge':
      if (!existsSync(WRANGLER)) return 'wrangler is not installed (node_modules/wrangler)';
      return existsSync(join(REPO_ROOT, 'edge/src/app.ts'))
        ? undefined
        : 'the edge Worker is not built yet (edge/src/app.ts is missing)';
    case 'portkey':
      return existsSync(PORTKEY_SERVER)
        ? undefined
        : 'Portkey is not installed: run `npm ci` in bench/portkey';
  }
};

/**
 * Builds the production bundle of `switchback` (regional/scripts/build.ts) for this run: the
 * bench measures what is deployed, and edits made during a run cannot reach it. It is built
 * inside the repo, as the real bundle is, whatever `--out` says: the provider SDKs it leaves
 * external (`openai`, `@aws-sdk/*`) resolve from the node_modules above it, and from nowhere
 * else (a bundle under /tmp exited before it became healthy).
 */
const buildSwitchback = (logDir: string): Promise<string> => {
  mkdirSync(join(REPO_ROOT, 'regional/dist'), { recursive: true });
  const dir = mkdtempSync(join(REPO_ROOT, 'regional/dist/bench-'));
  const outfile = join(dir, 'switchback.mjs');
  return new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      ['regional/scripts/build.ts', '--outfile', outfile],
      { cwd: REPO_ROOT, env: baseEnv(), timeout: 120_000 },
      (error, stdout, stderr) => {
        appendFileSync(join(logDir, 'switchback.log'), `${stdout}${stderr}`);
        if (error) {
          rmSync(dir, { recursive: true, force: true });
          reject(new Error(`bundling switchback failed: ${error.message}`));
        } else resolve(outfile);
      },
    );
  });
};

/**
 * `switchback serve` as production runs it (regional/scripts/build.ts): the bundle, with a 2 MB
 * young generation; the router's garbage is short-lived, and the default 16 MB semi-spaces
 * only raise the resident memory (bench/README.md).
 */
const startSwitchback = async (ctx: StartContext): Promise<Running> => {
  // A profile is taken on the sources, so its functions map to their files.
  const bundle =
    ctx.cpuProfDir === undefined
      ? await buildSwitchback(ctx.logDir)
      : join(REPO_ROOT, 'regional/bin/switchback.js');
  const cleanup =
    ctx.cpuProfDir === undefined
      ? () => rmSync(dirname(bundle), { recursive: true, force: true })
      : undefined;
  const port = await freePort(HOST);
  const profiling =
    ctx.cpuProfDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', ctx.cpuProfDir];
  if (ctx.cpuProfDir !== undefined) mkdirSync(ctx.cpuProfDir, { recursive: true });
  const proc = spawnServer({
    name: 'switchback',
    command: process.execPath,
    args: [
      ...profiling,
      '--max-semi-space-size=2',
      bundle,
      'serve',
      '--config',
      BENCH_CONFIG,
      '--port',
      String(port),
    ],
    cwd: REPO_ROOT,
    // PROVIDERS_URL moves the config's 127.0.0.1:8789 providers to the simulator's port.
    env: { ...baseEnv(), PROVIDERS_URL: ctx.simUrl },
    logFile: join(ctx.logDir, 'switchback.log'),
  });
  return started(
    'switchback',
    `http://${HOST}:${port}`,
    proc,
    '/healthz',
    cleanup === undefined ? {} : { cleanup },
  );
};

/** The floor: a bare keep-alive proxy to the simulator's OpenAI-compatible route. */
const startFloor = async (ctx: StartContext): Promise<Running> => {
  const port = await freePort(HOST);
  const proc = spawnServer({
    name: 'floor',
    command: process.execPath,
    args: [FLOOR_SERVER, String(port), `${ctx.simUrl}${WORKERS_AI_V1}/chat/completions`],
    cwd: REPO_ROOT,
    env: baseEnv(),
    logFile: join(ctx.logDir, 'floor.log'),
  });
  return started('floor', `http://${HOST}:${port}`, proc, '/healthz');
};

const startPortkey = async (ctx: StartContext): Promise<Running> => {
  const port = await freePort(HOST);
  const proc = spawnServer({
    name: 'portkey',
    command: process.execPath,
    args: [PORTKEY_SERVER, `--port=${port}`, '--headless'],
    cwd: join(BENCH_DIR, 'portkey'),
    env: baseEnv(),
    logFile: join(ctx.logDir, 'portkey.log'),
  });
  return started('portkey', `http://${HOST}:${port}`, proc, '/');
};

/** Compiles bench.config.yaml into the JSON the bench Worker (bench/edge/worker.ts) bundles. */
const writeEdgeConfig = async (): Promise<void> => {
  const { compileRouterConfig } = (await import('../../edge/src/config/compile.ts')) as {
    compileRouterConfig: (yaml: string) => string;
  };
  const json = compileRouterConfig(readFileSync(BENCH_CONFIG, 'utf8'));
  writeFileSync(join(BENCH_DIR, 'edge/router-config.generated.json'), json);
};

/**
 * Bundles the bench Worker once (`wrangler deploy --dry-run`) and writes a wrangler config that
 * serves that bundle as is: `wrangler dev` on the sources would rebuild and reload the Worker
 * whenever someone edits them mid-run.
 */
const bundleEdge = async (workDir: string, logFile: string): Promise<string> => {
  const outDir = join(workDir, 'bundle');
  await new Promise<void>((resolve, reject) => {
    execFile(
      process.execPath,
      [
        WRANGLER,
        'deploy',
        '--dry-run',
        '--outdir',
        outDir,
        '--config',
        join(BENCH_DIR, 'edge/wrangler.toml'),
      ],
      { cwd: REPO_ROOT, env: baseEnv(), timeout: 180_000, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        appendFileSync(logFile, `${stdout}${stderr}`);
        if (error)
          reject(new Error(`bundling the edge Worker failed (see ${logFile}): ${error.message}`));
        else resolve();
      },
    );
  });
  const toml = readFileSync(join(BENCH_DIR, 'edge/wrangler.toml'), 'utf8').replace(
    /^main = .*$/m,
    'main = "bundle/worker.js"\nno_bundle = true',
  );
  const config = join(workDir, 'wrangler.toml');
  writeFileSync(config, toml);
  return config;
};

const startEdge = async (ctx: StartContext, regionalUrl: string | undefined): Promise<Running> => {
  await writeEdgeConfig();
  const port = await freePort(HOST);
  const persistDir = mkdtempSync(join(tmpdir(), 'switchback-bench-edge-'));
  const logFile = join(ctx.logDir, 'edge.log');
  let wranglerConfig: string;
  try {
    wranglerConfig = await bundleEdge(persistDir, logFile);
  } catch (error) {
    rmSync(persistDir, { recursive: true, force: true });
    throw error;
  }
  const proc = spawnServer({
    name: 'edge',
    command: process.execPath,
    args: [
      WRANGLER,
      'dev',
      '--config',
      wranglerConfig,
      '--ip',
      HOST,
      '--port',
      String(port),
      '--persist-to',
      join(persistDir, 'state'),
      '--show-interactive-dev-session=false',
      '--log-level',
      'warn',
      '--var',
      // Bench requests stay on the edge tier; regional is only there for completeness.
      `REGIONAL_URL:${regionalUrl ?? 'http://127.0.0.1:9'}`,
      '--var',
      `AI_STANDIN_URL:${ctx.simUrl}/workers-ai/client/v4/accounts/local/ai`,
      '--var',
      `SWITCHBACK_HMAC_SECRET:${randomBytes(32).toString('hex')}`,
    ],
    cwd: REPO_ROOT,
    env: baseEnv(),
    logFile,
  });
  return started('edge', `http://${HOST}:${port}`, proc, '/healthz', {
    serverCommands: ['workerd'],
    cleanup: () => rmSync(persistDir, { recursive: true, force: true }),
  });
};

/** Starts one target besides the baseline (the floor or a router). */
export const startTarget = (
  name: Exclude<TargetName, 'direct'>,
  ctx: StartContext,
  regionalUrl: string | undefined,
): Promise<Running> => {
  switch (name) {
    case 'floor':
      return startFloor(ctx);
    case 'switchback':
      return startSwitchback(ctx);
    case 'portkey':
      return startPortkey(ctx);
    case 'edge':
      return startEdge(ctx, regionalUrl);
  }
};

export type Smoke = { ok: true; headers: Record<string, string> } | { ok: false; why: string };

const ROUTER_HEADERS = ['x-router-tier', 'x-router-provider', 'x-router-model', 'x-router-reasons'];

/** One plain and one streamed request: a target that fails them is skipped, with the reason. */
export const smokeTest = async (
  name: TargetName,
  baseUrl: string,
  simUrl: string,
): Promise<Smoke> => {
  let headers: Record<string, string> = {};
  for (const stream of [false, true]) {
    const spec = requestFor(name, baseUrl, simUrl, stream);
    try {
      const res = await fetch(spec.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...spec.headers },
        body: spec.body,
        signal: AbortSignal.timeout(15_000),
      });
      const text = await res.text();
      if (res.status !== 200) {
        return {
          ok: false,
          why: `${stream ? 'a stream' : 'a request'} got ${res.status}: ${text.slice(0, 300)}`,
        };
      }
      if (stream && !text.includes('[DONE]')) {
        return { ok: false, why: `the stream did not end with [DONE]: ${text.slice(-300)}` };
      }
      if (!stream) {
        headers = Object.fromEntries(
          ROUTER_HEADERS.flatMap((h) => {
            const v = res.headers.get(h);
            return v === null ? [] : [[h, v]];
          }),
        );
      }
    } catch (error) {
      return {
        ok: false,
        why: `${stream ? 'a stream' : 'a request'} failed: ${(error as Error).message}`,
      };
    }
  }
  return { ok: true, headers };
};
