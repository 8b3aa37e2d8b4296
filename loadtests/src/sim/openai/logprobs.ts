/** One token's log probability as OpenAI sends it (`choices[].logprobs.content[]`). */
export interface SimTopLogprob {
  token: string;
  logprob: number;
  bytes: number[];
}
export interface SimTokenLogprob extends SimTopLogprob {
  top_logprobs: SimTopLogprob[];
}

const encoder = new TextEncoder();
const bytesOf = (token: string): number[] => [...encoder.encode(token)];

/** FNV-1a, 32 bit, of the token: its log probability is a pure function of it. */
const hashOf = (token: string): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) {
    hash ^= token.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
};

const round = (value: number): number => Math.round(value * 1e6) / 1e6;

/**
 * The log probability of each generated token, as a real OpenAI-shaped server sends them: the
 * chosen token's logprob (a stable function of the token, in (-2, 0]), its UTF-8 bytes and the
 * `top` most likely tokens at that position, the chosen one first and each alternative (the
 * token with `~1`, `~2`, … appended) 0.75 nats less likely than the one before. A test can
 * recompute exactly what the router should pass on.
 */
export const simLogprobs = (tokens: readonly string[], top: number): SimTokenLogprob[] =>
  tokens.map((token) => {
    const logprob = round(-(hashOf(token) % 2000) / 1000);
    const alternatives: SimTopLogprob[] = [];
    for (let i = 0; i < top; i++) {
      const alt = i === 0 ? token : `${token}~${i}`;
      alternatives.push({ token: alt, logprob: round(logprob - 0.75 * i), bytes: bytesOf(alt) });
    }
    return { token, logprob, bytes: bytesOf(token), top_logprobs: alternatives };
  });
