import type { AuditSink } from '@switchback/router-core';

/** Writes each signed event as one line to a stream (stdout by default), for a log shipper. */
export const createStdoutAuditSink = (
  out: { write(text: string): unknown } = process.stdout,
): AuditSink => ({
  write(line) {
    out.write(`${line}\n`);
  },
});
