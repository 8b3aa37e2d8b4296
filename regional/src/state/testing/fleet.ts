import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type SimOptions, type Simulator, startSimulator } from '@switchback/loadtests/sim';
import type { RouterConfig, RouterConfigInput } from '@switchback/router-core';
import { testConfig } from '../../testing/test-config.ts';
import { type RedisServer, startRedisServer } from './redis-server.ts';
import { type RoundRobinProxy, startRoundRobinProxy } from './round-robin-proxy.ts';

const BIN = fileURLToPath(new URL('../../../bin/switchback.js', import.meta.url));

export type Replica = {
  url: string;
  pid: number;
  /** Every JSON line it logged (request lines included). */
  logs: Record<string, unknown>[];
  /** SIGKILL by pid: the replica dies with whatever it had in flight. */
  kill(): Promise<void>;
};

export type Fleet = {
  /** The round-robin proxy in front of the replicas: what clients call. */
  url: string;
  proxy: RoundRobinProxy;
  replicas: Replica[];
  redis: RedisServer;
  sim: Simulator;
  config: RouterConfig;
  close(): Promise<void>;
};

/** One `switchback serve --config <configPath> --port 0` process; resolves once it listens. */
export const startReplica = (configPath: string, env: Record<string, string>): Promise<Replica> =>
  new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(
      process.execPath,
      [BIN, 'serve', '--config', configPath, '--port', '0'],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', ...env } },
    );
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    const logs: Record<string, unknown>[] = [];
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => reject(new Error(`replica did not start: ${stderr}`)), 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`replica exited with ${code}: ${stderr}`));
    });
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      logs.push(entry);
      if (entry.msg === 'listening' && typeof entry.url === 'string') {
        clearTimeout(timer);
        const pid = child.pid ?? 0;
        resolve({
          url: entry.url,
          pid,
          logs,
          async kill() {
            if (child.exitCode === null && child.signalCode === null) {
              process.kill(pid, 'SIGKILL');
              await exited;
            }
          },
        });
      }
    });
  });

/**
 * A regional fleet on one machine: a simulator, a throwaway redis-server, `replicas` processes
 * of `switchback serve` with `state: redis` (each on its own port) and a round-robin proxy in
 * front. Everything on 127.0.0.1; every process stopped by its pid on `close`.
 */
export const startFleet = async (
  options: {
    replicas?: number;
    config?: Partial<RouterConfigInput>;
    env?: Record<string, string>;
    timeoutMs?: number;
    breakers?: 'local' | 'shared';
    sim?: SimOptions;
  } = {},
): Promise<Fleet> => {
  const sim = await startSimulator({ port: 0, ...options.sim });
  const redis = await startRedisServer();
  const dir = mkdtempSync(join(tmpdir(), 'switchback-fleet-'));
  const config = testConfig(sim.url, {
    state: {
      kind: 'redis',
      url: redis.url,
      timeoutMs: options.timeoutMs ?? 50,
      breakers: options.breakers ?? 'local',
    },
    ...options.config,
  });
  const configPath = join(dir, 'router.config.json');
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  const replicas: Replica[] = [];
  try {
    for (let i = 0; i < (options.replicas ?? 3); i++) {
      replicas.push(await startReplica(configPath, options.env ?? {}));
    }
  } catch (error) {
    await Promise.all(replicas.map((r) => r.kill()));
    await redis.stop();
    await sim.close();
    throw error;
  }
  const proxy = await startRoundRobinProxy(replicas.map((r) => r.url));
  return {
    url: proxy.url,
    proxy,
    replicas,
    redis,
    sim,
    config,
    async close() {
      await proxy.close();
      await Promise.all(replicas.map((r) => r.kill()));
      await redis.stop();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
