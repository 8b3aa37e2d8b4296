import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../../loadtests/src/stack/ports.ts';

/** True when Debian's (or any) `redis-server` is on PATH: the scale tests need one. */
export const redisServerAvailable = (): boolean =>
  spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

export type RedisServer = {
  url: string;
  port: number;
  pid: number;
  /** SIGSTOP: the server holds its connections and answers nothing (Redis "slow"). */
  pause(): void;
  resume(): void;
  /** SIGTERM by pid, then waits for the exit; idempotent. */
  stop(): Promise<void>;
};

/**
 * A throwaway `redis-server` on 127.0.0.1 and a free port (or `at.port`), no persistence, its own directory;
 * resolves once it accepts commands. Stopped by its pid only.
 */
export const startRedisServer = async (at?: { port: number }): Promise<RedisServer> => {
  const port = at?.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'switchback-redis-'));
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 10_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}: ${out}`));
    });
  });
  const pid = child.pid ?? 0;
  let stopping: Promise<void> | undefined;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid,
    pause: () => process.kill(pid, 'SIGSTOP'),
    resume: () => process.kill(pid, 'SIGCONT'),
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          process.kill(pid, 'SIGCONT');
          process.kill(pid, 'SIGTERM');
          await exited;
        }
        rmSync(dir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
};
