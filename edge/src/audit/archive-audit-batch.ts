/** Where archived audit batches go (`R2Bucket` fits). */
export type AuditBucket = { put(key: string, value: string): Promise<unknown> };

const seqOf = (line: string): number => (JSON.parse(line) as { seq: number }).seq;
const pad = (seq: number): string => String(seq).padStart(12, '0');

/**
 * The Queue consumer: one batch becomes one R2 object of JSON lines in `seq` order, named by its
 * first and last `seq`, so listing the bucket in key order and joining the objects gives the log
 * `switchback audit verify` reads. Queues may deliver out of order; the names put it back.
 */
export const archiveAuditBatch = async (
  bucket: AuditBucket,
  lines: readonly string[],
): Promise<string | undefined> => {
  if (lines.length === 0) return undefined;
  const sorted = [...lines].sort((a, b) => seqOf(a) - seqOf(b));
  const key = `audit/${pad(seqOf(sorted[0] ?? ''))}-${pad(seqOf(sorted.at(-1) ?? ''))}.jsonl`;
  await bucket.put(key, `${sorted.join('\n')}\n`);
  return key;
};
