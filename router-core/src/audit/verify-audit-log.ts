import { auditLinkHash, auditSignature } from './audit-chain.ts';
import { AUDIT_GENESIS, auditChainLabel, type SignedAuditEvent } from './audit-event.ts';

/** What is wrong with the first bad line of an audit log. */
export type AuditProblem = 'malformed' | 'edited' | 'deleted' | 'inserted' | 'reordered';

export type AuditVerifyResult =
  | { ok: true; count: number; lastSeq: number; lastHash: string }
  | { ok: false; line: number; problem: AuditProblem; message: string };

export type AuditVerifyOptions = {
  /** Where the file starts in the chain (a rotated log): the first `seq` and its `prev`. */
  from?: { seq: number; prev: string };
};

const HEX64 = /^[0-9a-f]{64}$/;

const parseLine = (line: string): SignedAuditEvent | undefined => {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const ok =
    (v.chain === undefined || (typeof v.chain === 'string' && v.chain !== '')) &&
    Number.isSafeInteger(v.seq) &&
    typeof v.prev === 'string' &&
    HEX64.test(v.prev) &&
    typeof v.sig === 'string' &&
    HEX64.test(v.sig) &&
    v.event !== null &&
    typeof v.event === 'object' &&
    !Array.isArray(v.event);
  return ok ? (value as SignedAuditEvent) : undefined;
};

type Entry = { line: number; event: SignedAuditEvent };
type ChainEnd = { count: number; lastSeq: number; lastHash: string };
type Failure = Extract<AuditVerifyResult, { ok: false }>;

/** Checks one chain's lines in log order; names the first bad one. */
const checkChain = async (
  entries: readonly Entry[],
  secret: string,
  from: AuditVerifyOptions['from'],
): Promise<ChainEnd | Failure> => {
  const present = new Set<number>();
  for (const { event } of entries) present.add(event.seq);
  let expectedSeq = from?.seq ?? 1;
  let expectedPrev = from?.prev ?? AUDIT_GENESIS;
  const seen = new Set<number>();
  for (const { line, event } of entries) {
    const fail = (problem: AuditProblem, message: string): Failure => ({
      ok: false,
      line,
      problem,
      message: `line ${line}: ${event.chain === undefined ? '' : `${auditChainLabel(event.chain)}: `}${message}`,
    });
    const sig = await auditSignature(secret, event.seq, event.prev, event.event, event.chain);
    if (sig !== event.sig) {
      return fail(
        'edited',
        `seq ${event.seq}: the signature does not match; the event was edited or forged.`,
      );
    }
    if (event.seq < expectedSeq) {
      return seen.has(event.seq)
        ? fail(
            'inserted',
            `seq ${event.seq} appears a second time; a copy of an event was inserted.`,
          )
        : fail(
            'reordered',
            `seq ${event.seq} comes after seq ${expectedSeq - 1}; events were reordered.`,
          );
    }
    if (event.seq > expectedSeq) {
      return present.has(expectedSeq)
        ? fail(
            'reordered',
            `expected seq ${expectedSeq} but found seq ${event.seq}; events were reordered.`,
          )
        : fail(
            'deleted',
            event.seq - expectedSeq === 1
              ? `seq ${expectedSeq} is missing before seq ${event.seq}; an event was deleted.`
              : `seq ${expectedSeq}-${event.seq - 1} are missing before seq ${event.seq}; events were deleted.`,
          );
    }
    if (event.prev !== expectedPrev) {
      return fail(
        'inserted',
        `seq ${event.seq} does not chain to the line before; it comes from another log.`,
      );
    }
    seen.add(event.seq);
    expectedSeq = event.seq + 1;
    expectedPrev = await auditLinkHash(event);
  }
  return { count: entries.length, lastSeq: expectedSeq - 1, lastHash: expectedPrev };
};

/** The log's lines parsed, blank tail dropped; or the first line that is not a signed event. */
const parseLog = (lines: readonly string[]): Entry[] | Failure => {
  let end = lines.length;
  while (end > 0 && lines[end - 1]?.trim() === '') end--;
  const entries: Entry[] = [];
  for (let i = 0; i < end; i++) {
    const event = parseLine(lines[i] ?? '');
    if (event === undefined) {
      return {
        ok: false,
        line: i + 1,
        problem: 'malformed',
        message: `line ${i + 1}: not a signed audit event (the line was edited or corrupted).`,
      };
    }
    entries.push({ line: i + 1, event });
  }
  return entries;
};

/**
 * Checks a signed, hash-chained audit log of one chain (one JSON event a line) and names the
 * first line that was edited (signature), deleted (a gap in `seq`), inserted (a copy or a foreign
 * event) or reordered. A deleted tail leaves no trace in the file itself: compare
 * `lastSeq`/`lastHash` with an anchor kept elsewhere.
 */
export const verifyAuditLog = async (
  lines: readonly string[],
  secret: string,
  options: AuditVerifyOptions = {},
): Promise<AuditVerifyResult> => {
  const entries = parseLog(lines);
  if (!Array.isArray(entries)) return entries;
  const end = await checkChain(entries, secret, options.from);
  return 'ok' in end ? end : { ok: true, ...end };
};

/** One chain of a log, as verified: `chain` absent for lines that name none (one chain a log). */
export type AuditChainSummary = { chain?: string } & ChainEnd;

export type AuditChainsResult =
  | { ok: true; count: number; chains: AuditChainSummary[] }
  | (Failure & { chain?: string });

/**
 * Checks every chain of a log that interleaves several (regional: one per tenant, each line
 * naming its `chain`), each as `verifyAuditLog` checks one; lines that name no chain (a log
 * written before chains per tenant) are one chain of their own. Names the first bad line of the
 * log, whichever chain it is in; when intact, what each chain holds, in order of first line.
 */
export const verifyAuditChains = async (
  lines: readonly string[],
  secret: string,
): Promise<AuditChainsResult> => {
  const entries = parseLog(lines);
  if (!Array.isArray(entries)) return entries;
  const chains = new Map<string | undefined, Entry[]>();
  for (const entry of entries) {
    const chain = chains.get(entry.event.chain) ?? [];
    chain.push(entry);
    chains.set(entry.event.chain, chain);
  }
  const summaries: AuditChainSummary[] = [];
  let first: (Failure & { chain?: string }) | undefined;
  for (const [chain, chained] of chains) {
    const end = await checkChain(chained, secret, undefined);
    if ('ok' in end) {
      if (first === undefined || end.line < first.line) {
        first = chain === undefined ? end : { ...end, chain };
      }
    } else summaries.push(chain === undefined ? end : { chain, ...end });
  }
  return first ?? { ok: true, count: entries.length, chains: summaries };
};
