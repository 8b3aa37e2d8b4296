import { readFile } from 'node:fs/promises';
import type { CliIo } from './cli-io.ts';
import { main } from './main.ts';
import { REPO_ROOT } from './run-cli.ts';

/** Runs the CLI in-process with captured output; paths are relative to the repo root. */
export const runInProcess = async (args: readonly string[], stdin = '') => {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    readStdin: async () => stdin,
    readFile: (path) => readFile(new URL(path, `file://${REPO_ROOT}`), 'utf8'),
  };
  const code = await main(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
};
