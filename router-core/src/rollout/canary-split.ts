/** Header values that keep a caller on one side of a canary, in order of preference. */
const STICKY_HEADERS = ['x-session-affinity', 'x-session-id', 'x-request-id'] as const;

/** FNV-1a, 32 bits: cheap, stable across processes and versions, spreads ids evenly. */
const fnv1a = (text: string): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
};

/** The bucket of a key in [0, 10000): the same key always lands in the same bucket. */
export const canaryBucket = (key: string): number => fnv1a(key) % 10_000;

/**
 * Whether the candidate config decides this request: by session (`x-session-affinity`, else
 * `x-session-id`), else by request id, so a conversation stays on one config; a request with neither is drawn at random.
 */
export const decidedByCandidate = (
  headers: { get(name: string): string | null },
  percent: number,
  random: () => number = Math.random,
): boolean => {
  if (percent <= 0) return false;
  if (percent >= 100) return true;
  let key: string | undefined;
  for (const name of STICKY_HEADERS) {
    const value = headers.get(name);
    if (value) {
      key = value;
      break;
    }
  }
  const bucket = key === undefined ? Math.floor(random() * 10_000) : canaryBucket(key);
  return bucket < percent * 100;
};
