import type { Redis } from 'ioredis';
import type { AdmissionStore } from '../admission.ts';
import { heldStep, idempotencyKey, LUA_IDEMPOTENCY, runMsOf } from './redis-idempotency-store.ts';
import { LUA_QUOTA_TAKE, quotaKey, quotaTakeCall, quotaTakeVerdict } from './redis-quota-store.ts';
import { LUA_NOW, redisScript } from './redis-script.ts';
import { sessionKey, sessionOf } from './redis-session-store.ts';

// KEYS: the session (when ARGV[1] is '1'), the idempotency record (when ARGV[2] is '1'), then the
// quota's buckets. ARGV[3], ARGV[4]: the claim's fingerprint and run ms; from ARGV[5], quota_take's.
// Returns the session ('' for none), then 'held' and what the key holds, nothing drawn or claimed;
// or 'drawn', 1 when the key was claimed (the draw taken, or no draw), and quota_take's reply.
const ADMIT = `${LUA_NOW}
${LUA_QUOTA_TAKE}
${LUA_IDEMPOTENCY}
local k = 0
local session = ''
if ARGV[1] == '1' then
  k = 1
  session = redis.call('GET', KEYS[1]) or ''
end
local claim = nil
if ARGV[2] == '1' then
  k = k + 1
  claim = KEYS[k]
  local held = idempotency_held(claim)
  if held then return {session, 'held', held[1], held[2], held[3], held[4], held[5]} end
end
local n = #KEYS - k
local take = {}
if n > 0 then take = quota_take(k, n, 4) end
local claimed = 0
if claim and (n == 0 or take[1] == 1) then
  idempotency_claim(claim, ARGV[3], tonumber(ARGV[4]))
  claimed = 1
end
local out = {session, 'drawn', claimed}
for _, v in ipairs(take) do out[#out + 1] = v end
return out`;

/**
 * A request's admission as one script (EVALSHA, one round trip, atomic): the session read, the
 * idempotency look (a held key answers at once, nothing drawn), the quota draw, and the claim
 * once the draw is taken. The arithmetic is the quota's and idempotency's own scripts' (shared
 * Lua, router-core's verdicts). A waiting duplicate is answered `wait`: the caller polls.
 *
 * Redis Cluster: the keys span slots (`quota:{tenant}`, `idempotency:{tenant:key}`,
 * `session:<hash>`); the project runs one Redis-protocol server, not a cluster.
 */
export const createRedisAdmission = (client: Redis, prefix: string): AdmissionStore => {
  const admit = redisScript(client, ADMIT);
  return {
    async admit(input) {
      const { claim, quota, sessionId } = input;
      const take = quota && quotaTakeCall((b) => quotaKey(prefix, input.tenantId, b), quota);
      const keys = [
        ...(sessionId === undefined ? [] : [sessionKey(prefix, sessionId)]),
        ...(claim === undefined ? [] : [idempotencyKey(prefix, claim.key)]),
        ...(take?.keys ?? []),
      ];
      const args = [
        sessionId === undefined ? '0' : '1',
        claim === undefined ? '0' : '1',
        claim?.fingerprint ?? '',
        claim === undefined ? 0 : runMsOf(claim.runMs),
        ...(take?.args ?? []),
      ];
      const [json, kind, ...rest] = (await admit(keys, args)) as [string, string, ...unknown[]];
      const session = sessionOf(json);
      if (kind === 'held') {
        const step = heldStep(rest as string[], claim?.fingerprint ?? '');
        if (step.kind === 'run') throw new Error('The admission script held a free key.');
        return { kind: 'held', claim: step, session };
      }
      const [claimed, ...drawn] = rest as number[];
      return {
        kind: 'drawn',
        quota: quota && { verdict: quotaTakeVerdict(drawn, quota) },
        claimed: claimed === 1,
        session,
      };
    },
  };
};
