import type { AuditChainHead } from '@switchback/router-core';
import type { Redis } from 'ioredis';
import { redisScript } from './redis-script.ts';

// Moves the head only if it is still ARGV[1] / ARGV[2] ('' for the empty chain), and keeps the
// line in the chain's list in the same step: no fork, no line without its head, no gap.
const ADVANCE = `local h = redis.call('HMGET', KEYS[1], 'seq', 'hash')
if (h[1] or '') ~= ARGV[1] or (h[2] or '') ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], 'seq', ARGV[3], 'hash', ARGV[4])
redis.call('RPUSH', KEYS[2], ARGV[5])
return 1`;

export const auditKeys = (prefix: string, chain: string) => ({
  head: `${prefix}audit:{${chain}}:head`,
  lines: `${prefix}audit:{${chain}}:lines`,
});

/** The head of one audit chain in Redis, shared by every replica, and the chain's lines. */
export const createRedisAuditHead = (
  client: Redis,
  prefix: string,
  chain = 'regional',
): AuditChainHead & { lines(): Promise<string[]> } => {
  const advance = redisScript(client, ADVANCE);
  const keys = auditKeys(prefix, chain);
  return {
    async read() {
      const [seq, hash] = await client.hmget(keys.head, 'seq', 'hash');
      return seq == null || hash == null ? undefined : { seq: Number(seq), hash };
    },
    async advance(from, to, line) {
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
      return moved === 1;
    },
    /** The chain as written, in seq order: what `switchback audit verify` reads. */
    lines: () => client.lrange(keys.lines, 0, -1),
  };
};
