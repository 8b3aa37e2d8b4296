import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

export type ServerProcess = {
  name: string;
  /** Also the process group id: the server runs in a group of its own. */
  pid: number;
  exited: Promise<number | null>;
  running(): boolean;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves once the leader is gone. */
  stop(graceMs?: number): Promise<void>;
};

const signalGroup = (pid: number, signal: NodeJS.Signals): void => {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
};

/**
 * Starts a server in its own process group with stdout and stderr going to `logFile`.
 * Like loadtests' `startChild`, but without relaying output through this process: a router that
 * logs a line per request must not make the harness (which shares the CPU) do work per request.
 */
export const spawnServer = (spec: {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  logFile: string;
}): ServerProcess => {
  const fd = openSync(spec.logFile, 'a');
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: spec.env,
    detached: true,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${spec.name}: could not start ${spec.command}`);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  let stopping: Promise<void> | undefined;
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  return {
    name: spec.name,
    pid,
    exited,
    running: () => !gone,
    stop(graceMs = 5_000) {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          signalGroup(pid, 'SIGTERM');
          const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
          await exited;
          clearTimeout(timer);
        }
        // Grandchildren (workerd under wrangler) that outlived the leader.
        signalGroup(pid, 'SIGKILL');
      })();
      return stopping;
    },
  };
};
