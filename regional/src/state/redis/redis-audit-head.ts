import type { AuditChainHead, AuditHead } from '@switchback/router-core';
import type { Redis } from 'ioredis';
import { redisScript } from './redis-script.ts';

// Moves the head only if it is still ARGV[1] / ARGV[2] ('' for the empty chain), and keeps the
// line in the chain's list in the same step: no fork, no line without its head, no gap. When
// another writer moved it first, answers where it is, so the writer need not read it again.
const ADVANCE = `local h = redis.call('HMGET', KEYS[1], 'seq', 'hash')
if (h[1] or '') ~= ARGV[1] or (h[2] or '') ~= ARGV[2] then return {h[1] or '', h[2] or ''} end
redis.call('HSET', KEYS[1], 'seq', ARGV[3], 'hash', ARGV[4])
redis.call('RPUSH', KEYS[2], ARGV[5])
return 1`;

/** One chain's keys: the hash tag keeps a tenant's head and lines in one cluster slot. */
export const auditKeys = (prefix: string, chain: string) => ({
  head: `${prefix}audit:{${chain}}:head`,
  lines: `${prefix}audit:{${chain}}:lines`,
});

const headOf = (seq: string | null | undefined, hash: string | null | undefined) =>
  seq == null || seq === '' || hash == null ? undefined : { seq: Number(seq), hash };

/** The heads of the audit chains (one per tenant) in Redis, shared by every replica, and their lines. */
export const createRedisAuditHead = (
  client: Redis,
  prefix: string,
): AuditChainHead & { lines(chain: string): Promise<string[]> } => {
  const advance = redisScript(client, ADVANCE);
  return {
    async read(chain) {
      const [seq, hash] = await client.hmget(auditKeys(prefix, chain).head, 'seq', 'hash');
      return headOf(seq, hash);
    },
    async advance(chain, from, to, line) {
      const keys = auditKeys(prefix, chain);
      const moved = await advance(
        [keys.head, keys.lines],
        [
          from === undefined ? '' : String(from.seq),
          from?.hash ?? '',
          String(to.seq),
          to.hash,
          line,
        ],
      );
      if (moved === 1) return { moved: true };
      const [seq, hash] = Array.isArray(moved) ? (moved as string[]) : [];
      const head: AuditHead | undefined = headOf(seq, hash);
      return { moved: false, head };
    },
    /** A chain as written, in seq order: what `switchback audit verify` reads. */
    lines: (chain) => client.lrange(auditKeys(prefix, chain).lines, 0, -1),
  };
};
