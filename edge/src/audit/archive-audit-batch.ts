/** Where archived audit batches go (`R2Bucket` fits). */
export type AuditBucket = { put(key: string, value: string): Promise<unknown> };

type ChainLine = { seq: number; event?: { tenant?: unknown } };

/** Lines of events without a tenant (config changes): `_` is no valid tenant id, so never a clash. */
const NO_TENANT = '_';

const parse = (line: string): ChainLine => JSON.parse(line) as ChainLine;
const pad = (seq: number): string => String(seq).padStart(12, '0');

/** Each tenant has a chain of its own (one `AuditChainObject` each), so its lines are kept apart. */
const chainOf = (line: ChainLine): string =>
  typeof line.event?.tenant === 'string' ? line.event.tenant : NO_TENANT;

/**
 * The Queue consumer: one batch becomes one R2 object of JSON lines per tenant, in `seq` order,
 * named `audit/<tenant>/<first>-<last>.jsonl`, so listing a tenant's prefix in key order and
 * joining the objects gives the log `switchback audit verify` reads. Queues may deliver out of
 * order and mix tenants in one batch; the names put both right. Resolves with the keys written.
 */
export const archiveAuditBatch = async (
  bucket: AuditBucket,
  lines: readonly string[],
): Promise<string[]> => {
  const chains = new Map<string, { seq: number; line: string }[]>();
  for (const line of lines) {
    const parsed = parse(line);
    const tenant = chainOf(parsed);
    const chain = chains.get(tenant) ?? [];
    chain.push({ seq: parsed.seq, line });
    chains.set(tenant, chain);
  }
  const keys: string[] = [];
  for (const [tenant, chain] of chains) {
    chain.sort((a, b) => a.seq - b.seq);
    const first = chain[0]?.seq ?? 0;
    const last = chain.at(-1)?.seq ?? 0;
    const key = `audit/${tenant}/${pad(first)}-${pad(last)}.jsonl`;
    await bucket.put(key, `${chain.map((c) => c.line).join('\n')}\n`);
    keys.push(key);
  }
  return keys;
};
