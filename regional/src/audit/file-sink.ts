import { appendFile, readFile } from 'node:fs/promises';
import type { AuditSink } from '@switchback/router-core';

/**
 * Appends each signed event as one line to `path`. Writes are queued, so lines land in the order
 * they were handed over; `flush` resolves once all of them are on disk.
 */
export const createFileAuditSink = (path: string): AuditSink => {
  let tail: Promise<void> = Promise.resolve();
  return {
    write(line) {
      const written = tail.then(() => appendFile(path, `${line}\n`, 'utf8'));
      tail = written.catch(() => {});
      return written;
    },
    flush: () => tail,
  };
};

/** The last event of an existing log (its `seq` and the whole line), so a restart continues the chain. */
export const readAuditTail = async (path: string): Promise<string | undefined> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  return lines.at(-1);
};
