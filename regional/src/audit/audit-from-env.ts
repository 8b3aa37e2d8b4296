import { type AuditChainHead, type AuditLog, createAuditLog } from '@switchback/router-core';
import { createFileAuditSink, readAuditHeads } from './file-sink.ts';
import { createStdoutAuditSink } from './stdout-sink.ts';

/**
 * The regional audit log from the environment: `SWITCHBACK_AUDIT_SECRET` signs, and
 * `SWITCHBACK_AUDIT_FILE` is where lines go (`-` for stdout). Undefined (no audit) unless both
 * are set. One chain per tenant (and one for events of no tenant), each line naming its chain. A
 * file log continues the chains of the events already in it. With shared heads (state on Redis),
 * every replica appends to one chain per tenant kept with its head, and the file (if any) gets
 * this replica's lines of them.
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
    return createAuditLog({ secret, sink, perTenant: true, head, onError });
  }
  if (!secret || !file) return undefined;
  if (file === '-') {
    return createAuditLog({ secret, sink: createStdoutAuditSink(), perTenant: true, onError });
  }
  const resume = await readAuditHeads(file);
  return createAuditLog({
    secret,
    sink: createFileAuditSink(file),
    perTenant: true,
    resume,
    onError,
  });
};
