import {
  type AuditChainHead,
  type AuditLog,
  auditLinkHash,
  createAuditLog,
  type SignedAuditEvent,
} from '@switchback/router-core';
import { createFileAuditSink, readAuditTail } from './file-sink.ts';
import { createStdoutAuditSink } from './stdout-sink.ts';

/**
 * The regional audit log from the environment: `SWITCHBACK_AUDIT_SECRET` signs, and
 * `SWITCHBACK_AUDIT_FILE` is where lines go (`-` for stdout). Undefined (no audit) unless both
 * are set. A file log continues the chain of the events already in it. With a shared `head`
 * (state on Redis), every replica appends to one chain kept with the head, and the file (if any)
 * gets this replica's lines of it.
 */
export const auditLogFromEnv = async (
  env: Record<string, string | undefined>,
  onError: (error: unknown) => void,
  head?: AuditChainHead,
): Promise<AuditLog | undefined> => {
  const secret = env.SWITCHBACK_AUDIT_SECRET;
  const file = env.SWITCHBACK_AUDIT_FILE;
  if (secret && head !== undefined) {
    const sink = !file
      ? { write() {} }
      : file === '-'
        ? createStdoutAuditSink()
        : createFileAuditSink(file);
    return createAuditLog({ secret, sink, head, onError });
  }
  if (!secret || !file) return undefined;
  if (file === '-') return createAuditLog({ secret, sink: createStdoutAuditSink(), onError });
  const last = await readAuditTail(file);
  let resume: { seq: number; hash: string } | undefined;
  if (last !== undefined) {
    const signed = JSON.parse(last) as SignedAuditEvent;
    resume = { seq: signed.seq, hash: await auditLinkHash(signed) };
  }
  return createAuditLog({ secret, sink: createFileAuditSink(file), resume, onError });
};
