import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Child, startChild } from './child.ts';
import { effectiveConfig } from './effective-config.ts';
import { assertPortFree } from './ports.ts';
import { waitHealthy } from './wait-healthy.ts';

export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

export type StackPorts = { edge: number; regional: number; providers: number };

export type StackOptions = {
  ports: StackPorts;
  /** Path of the router config, relative to the repo root or absolute. */
  configPath?: string;
  /** Simulator timing (SIM_TTFT_MS, SIM_ITL_MS, SIM_TOKENS). */
  sim?: { ttftMs?: number; itlMs?: number; tokens?: number };
  onLine?: (name: string, line: string) => void;
  startTimeoutMs?: number;
};

export type Stack = {
  edgeUrl: string;
  regionalUrl: string;
  providersUrl: string;
  /** The edge's local storage (`wrangler dev --persist-to`): KV, R2, Durable Objects; removed by `stop`. */
  persistDir: string;
  /** Providers switched to the real service by credentials in the environment. */
  realProviders: string[];
  /** Resolves with the name of the first process that exits on its own. */
  died: Promise<string>;
  stop(): Promise<void>;
};

const PORT_NAMES: Record<keyof StackPorts, string> = {
  edge: 'EDGE_PORT',
  regional: 'REGIONAL_PORT',
  providers: 'PROVIDERS_PORT',
};

/** Brings up simulated providers, regional and the edge (wrangler dev) and waits until all answer. */
export const startStack = async (options: StackOptions): Promise<Stack> => {
  const { ports } = options;
  for (const key of ['edge', 'regional', 'providers'] as const) {
    await assertPortFree(ports[key], PORT_NAMES[key]);
  }
  const print = options.onLine ?? ((name, line) => console.log(`[${name}] ${line}`));
  // The last lines of each process, so a failed start can say why even when output is quiet.
  const recent: string[] = [];
  const onLine = (name: string, line: string) => {
    recent.push(`[${name}] ${line}`);
    if (recent.length > 40) recent.shift();
    print(name, line);
  };
  const timeoutMs = options.startTimeoutMs ?? 90_000;
  const secret = randomBytes(32).toString('hex');
  const host = '127.0.0.1';
  const providersUrl = `http://${host}:${ports.providers}`;
  const regionalUrl = `http://${host}:${ports.regional}`;
  const edgeUrl = `http://${host}:${ports.edge}`;
  const configPath = resolve(REPO_ROOT, options.configPath ?? 'router.config.yaml');
  const persistDir = mkdtempSync(join(tmpdir(), 'switchback-stack-'));
  const effective = effectiveConfig(readFileSync(configPath, 'utf8'), providersUrl, process.env);
  const runConfigPath = join(persistDir, 'router.config.yaml');
  writeFileSync(runConfigPath, effective.text);
  const baseEnv: NodeJS.ProcessEnv = {
    ...process.env,
    WRANGLER_SEND_METRICS: 'false',
    // No Cloudflare here: do not try to fetch the `Request.cf` placeholder data.
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  };
  const children: Child[] = [];

  const stop = async (): Promise<void> => {
    await Promise.all(children.map((child) => child.stop()));
    rmSync(persistDir, { recursive: true, force: true });
  };

  try {
    const providers = startChild({
      name: 'providers',
      command: process.execPath,
      args: ['loadtests/src/sim/main.ts'],
      cwd: REPO_ROOT,
      env: {
        ...baseEnv,
        PROVIDERS_PORT: String(ports.providers),
        ...(options.sim?.ttftMs === undefined ? {} : { SIM_TTFT_MS: String(options.sim.ttftMs) }),
        ...(options.sim?.itlMs === undefined ? {} : { SIM_ITL_MS: String(options.sim.itlMs) }),
        ...(options.sim?.tokens === undefined ? {} : { SIM_TOKENS: String(options.sim.tokens) }),
      },
      onLine,
    });
    children.push(providers);
    await waitHealthy(`${providersUrl}/_sim/stats`, {
      timeoutMs,
      exited: providers.exited,
      name: 'simulated providers',
    });

    const regional = startChild({
      name: 'regional',
      command: process.execPath,
      args: ['regional/src/main.ts', '--config', runConfigPath],
      cwd: REPO_ROOT,
      env: {
        ...baseEnv,
        REGIONAL_PORT: String(ports.regional),
        SWITCHBACK_HMAC_SECRET: secret,
      },
      onLine,
    });
    children.push(regional);

    const edge = startChild({
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
        host,
        '--port',
        String(ports.edge),
        '--persist-to',
        persistDir,
        '--show-interactive-dev-session=false',
        '--var',
        `REGIONAL_URL:${regionalUrl}`,
        '--var',
        `AI_STANDIN_URL:${providersUrl}/workers-ai/client/v4/accounts/local/ai`,
        '--var',
        `SWITCHBACK_HMAC_SECRET:${secret}`,
      ],
      cwd: REPO_ROOT,
      env: baseEnv,
      onLine,
    });
    children.push(edge);

    await Promise.all([
      waitHealthy(`${regionalUrl}/healthz`, {
        timeoutMs,
        exited: regional.exited,
        name: 'regional',
      }),
      waitHealthy(`${edgeUrl}/healthz`, { timeoutMs, exited: edge.exited, name: 'edge' }),
    ]);
  } catch (error) {
    await stop();
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`${why}\nlast output:\n${recent.join('\n')}`, { cause: error });
  }
  const died = Promise.race(children.map((child) => child.exited.then(() => child.name)));
  return {
    edgeUrl,
    regionalUrl,
    providersUrl,
    persistDir,
    realProviders: effective.realProviders,
    died,
    stop,
  };
};
