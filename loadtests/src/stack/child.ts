import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export type Child = {
  name: string;
  process: ChildProcess;
  /** Resolves with the exit code once the whole process group is gone. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
};

export type ChildSpec = {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  onLine: (name: string, line: string) => void;
};

const STOP_GRACE_MS = 5_000;

const signalGroup = (child: ChildProcess, signal: NodeJS.Signals): void => {
  if (child.pid === undefined) return;
  try {
    // Negative pid: the whole group, so wrangler's workerd goes with it.
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
};

/** Spawns a process in its own group, prefixes its output, and stops the group on demand. */
export const startChild = (spec: ChildSpec): Child => {
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: spec.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (l) => spec.onLine(spec.name, l));
  }
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) {
        signalGroup(child, 'SIGKILL');
        return;
      }
      signalGroup(child, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
      // Grandchildren that ignored SIGTERM.
      signalGroup(child, 'SIGKILL');
    })();
    return stopping;
  };
  return { name: spec.name, process: child, exited, stop };
};
