export interface SimOptions {
  port?: number;
  host?: string;
  /** Time to first token, ms. */
  ttftMs?: number;
  /** Inter-token latency, ms. */
  itlMs?: number;
  /** Completion length of a text answer, one word per token. */
  tokens?: number;
}

export interface Timing {
  readonly ttftMs: number;
  readonly itlMs: number;
  readonly tokens: number;
}

const envNumber = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  }
  return value;
};

/** Explicit options win over the SIM_* environment, which wins over the defaults. */
export const resolveTiming = (options: SimOptions): Timing => ({
  ttftMs: options.ttftMs ?? envNumber('SIM_TTFT_MS', 20),
  itlMs: options.itlMs ?? envNumber('SIM_ITL_MS', 5),
  tokens: Math.floor(options.tokens ?? envNumber('SIM_TOKENS', 16)),
});
