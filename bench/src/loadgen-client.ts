import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** The request a round sends, again and again (bench/loadgen/job.go `Target`). */
export type RequestSpec = {
  name: string;
  url: string;
  headers: Record<string, string>;
  body: string;
};

/** One round (bench/loadgen/job.go `Job`). */
export type Job = {
  target: RequestSpec;
  mode: 'rate' | 'closed';
  rate?: number;
  concurrency?: number;
  durationMs: number;
  count?: number;
  rampMs?: number;
  warmupMs?: number;
  stream?: boolean;
  timeoutMs?: number;
  stallMs?: number;
  maxInFlight?: number;
  /** Time in-flight requests get after the round's end before they are cancelled. */
  drainMs?: number;
  serverTiming?: boolean;
};

/** What happened to the requests of a round (or of several, added up). */
export type Counts = {
  warmupSent: number;
  sent: number;
  ok: number;
  failed: number;
  dropped: number;
  stalled: number;
  failures: Record<string, number>;
};

/** One round's raw samples (bench/loadgen/job.go `Result`), latencies in µs. */
export type JobResult = Counts & {
  id: number;
  error?: string;
  elapsedMs: number;
  latencyUs: number[];
  ttftUs: number[];
  serverTimingUs?: Record<string, number[]>;
  peakInFlight: number;
};

export type Loadgen = {
  run(job: Job): Promise<JobResult>;
  pid: number | undefined;
  close(): Promise<void>;
};

const newestMtime = (dir: string): number =>
  Math.max(
    ...readdirSync(dir)
      .filter((f) => f.endsWith('.go') || f === 'go.mod')
      .map((f) => statSync(join(dir, f)).mtimeMs),
  );

/** Builds bench/loadgen (Go, standard library only) unless the binary is newer than its sources. */
export const buildLoadgen = (dir: string, log: (line: string) => void): string => {
  const binary = join(dir, 'loadgen');
  if (existsSync(binary) && statSync(binary).mtimeMs >= newestMtime(dir)) return binary;
  log('building bench/loadgen (go build)…');
  try {
    execFileSync('go', ['build', '-o', binary, '.'], {
      cwd: dir,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false' },
      timeout: 180_000,
    });
  } catch (error) {
    throw new Error(
      `cannot build the load generator in ${dir} (is Go ≥ 1.24 on PATH?): ${(error as Error).message}`,
    );
  }
  return binary;
};

/** Starts the long-lived load generator; jobs run one at a time, in order. */
export const startLoadgen = (binary: string): Loadgen => {
  const child: ChildProcess = spawn(binary, [], { stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting: { resolve: (r: JobResult) => void; reject: (e: Error) => void }[] = [];
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      for (const w of waiting.splice(0)) w.reject(new Error('the load generator exited'));
      resolve();
    });
  });
  if (child.stdout === null || child.stdin === null) throw new Error('loadgen has no pipes');
  createInterface({ input: child.stdout }).on('line', (line) => {
    const next = waiting.shift();
    if (next === undefined) return;
    try {
      next.resolve(JSON.parse(line) as JobResult);
    } catch (error) {
      next.reject(new Error(`loadgen wrote a bad result: ${(error as Error).message}`));
    }
  });
  let nextId = 0;
  const stdin = child.stdin;
  return {
    pid: child.pid,
    run(job) {
      if (exited) return Promise.reject(new Error('the load generator is not running'));
      const id = nextId++;
      return new Promise<JobResult>((resolve, reject) => {
        waiting.push({
          resolve: (result) =>
            result.error ? reject(new Error(`loadgen: ${result.error}`)) : resolve(result),
          reject,
        });
        stdin.write(`${JSON.stringify({ id, ...job })}\n`);
      });
    },
    async close() {
      if (exited) return;
      stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exitedPromise;
      clearTimeout(timer);
    },
  };
};
