import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The `switchback` bin, run the way a user runs it. */
export const BIN = fileURLToPath(new URL('../../bin/switchback.js', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export type CliRun = { code: number | null; stdout: string; stderr: string };

/** Runs the CLI as a child process (this Node), feeding `stdin`, from the repo root. */
export const runCli = (args: readonly string[], stdin = ''): Promise<CliRun> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
