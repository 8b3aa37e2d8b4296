import { appendFile, readFile } from 'node:fs/promises';
import {
  type AuditHead,
  type AuditSink,
  auditLinkHash,
  type SignedAuditEvent,
} from '@switchback/router-core';

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

// A line as `createAuditLog` writes it starts with its chain's name (JSON.stringify keeps the
// order the signed event was built in); a line without one is from a log of one chain.
const CHAIN_OF_LINE = /^\{"chain":("(?:[^"\\]|\\.)*")/;

/**
 * Where each tenant's chain of an existing log stands (its last line's `seq` and link hash), so a
 * restart continues every chain. Lines of a log written before chains per tenant name no chain
 * and continue none: the tenants' chains start after them at seq 1.
 */
export const readAuditHeads = async (path: string): Promise<Map<string, AuditHead>> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  const last = new Map<string, string>();
  for (const line of text.split('\n')) {
    const named = CHAIN_OF_LINE.exec(line)?.[1];
    if (named !== undefined) last.set(JSON.parse(named) as string, line);
  }
  const heads = new Map<string, AuditHead>();
  for (const [chain, line] of last) {
    const signed = JSON.parse(line) as SignedAuditEvent;
    heads.set(chain, { seq: signed.seq, hash: await auditLinkHash(signed) });
  }
  return heads;
};
