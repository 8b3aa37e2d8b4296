import { readFile } from 'node:fs/promises';

/** What a command reads and writes: the process by default, fakes in tests. */
export type CliIo = {
  out(line: string): void;
  /** Several lines in one write (batched logs); one `out` per line when absent. */
  outLines?(lines: string[]): void;
  err(line: string): void;
  readStdin(): Promise<string>;
  readFile(path: string): Promise<string>;
};

const readAll = async (stream: NodeJS.ReadableStream): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
};

/** The real process's streams and file system. */
export const processIo = (): CliIo => ({
  out: (line) => process.stdout.write(`${line}\n`),
  outLines: (lines) => process.stdout.write(`${lines.join('\n')}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  readStdin: () => readAll(process.stdin),
  readFile: (path) => readFile(path, 'utf8'),
});
