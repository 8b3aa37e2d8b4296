import { isTarget, TARGETS, type Target } from '../targets.ts';

export const FAULT_KINDS = [
  'error',
  'rate_limit',
  'slow_first_token',
  'stall',
  'reset_mid_stream',
  'slow_tokens',
  'long_answer',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSpec {
  target: Target;
  model?: string;
  kind: FaultKind;
  /** HTTP status of an `error` fault (default 500). */
  status?: number;
  /** Delay of the slow kinds (default 1000 ms); `retry-after` of `rate_limit` (default 1 s). */
  delayMs?: number;
  /** Chance that a matching request is hit, 0..1 (default 1). */
  probability?: number;
  /** How many requests it hits before it is spent (default unlimited). */
  count?: number;
  /**
   * `error` / `rate_limit` on a streaming request: send about half the tokens, then the
   * provider's in-stream error (OpenAI `data: {"error":…}`, Bedrock an exception message)
   * instead of failing the HTTP response. An extension beyond DESIGN.md's fault body.
   */
  midStream?: boolean;
  /** Words of a `long_answer` text answer (default 100,000): an answer of megabytes. */
  tokens?: number;
  /** Words a `long_answer` sends in each token (default 1): megabytes in fewer chunks. */
  wordsPerToken?: number;
}

export const DEFAULT_DELAY_MS = 1000;
/** Words of a `long_answer` without `tokens`. */
export const LONG_ANSWER_TOKENS = 100_000;
const MAX_DELAY_MS = 600_000;
const MAX_TOKENS = 10_000_000;
const KEYS = new Set([
  'target',
  'model',
  'kind',
  'status',
  'delayMs',
  'probability',
  'count',
  'midStream',
  'tokens',
  'wordsPerToken',
]);

const isFaultKind = (value: unknown): value is FaultKind =>
  typeof value === 'string' && (FAULT_KINDS as readonly string[]).includes(value);

const isIntIn = (value: unknown, min: number, max: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

/** Validates a `POST /_sim/faults` body; the error string names the offending field. */
export const parseFaultSpec = (
  body: unknown,
): { ok: true; spec: FaultSpec } | { ok: false; error: string } => {
  const fail = (error: string) => ({ ok: false as const, error });
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return fail('body must be a JSON object');
  }
  const input = body as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!KEYS.has(key)) return fail(`unknown field "${key}"`);
  }
  const { target, model, kind, status, delayMs, probability, count, midStream, tokens } = input;
  const { wordsPerToken } = input;
  if (!isTarget(target)) return fail(`target must be one of ${TARGETS.join(', ')}`);
  if (!isFaultKind(kind)) return fail(`kind must be one of ${FAULT_KINDS.join(', ')}`);
  if (model !== undefined && (typeof model !== 'string' || model === '')) {
    return fail('model must be a non-empty string');
  }
  if (status !== undefined && !isIntIn(status, 400, 599)) {
    return fail('status must be an integer from 400 to 599');
  }
  if (delayMs !== undefined && !isIntIn(delayMs, 0, MAX_DELAY_MS)) {
    return fail(`delayMs must be an integer from 0 to ${MAX_DELAY_MS}`);
  }
  if (
    probability !== undefined &&
    (typeof probability !== 'number' || !(probability >= 0 && probability <= 1))
  ) {
    return fail('probability must be a number from 0 to 1');
  }
  if (count !== undefined && !isIntIn(count, 0, Number.MAX_SAFE_INTEGER)) {
    return fail('count must be a non-negative integer');
  }
  if (midStream !== undefined && typeof midStream !== 'boolean') {
    return fail('midStream must be a boolean');
  }
  if (tokens !== undefined && (kind !== 'long_answer' || !isIntIn(tokens, 1, MAX_TOKENS))) {
    return fail(`tokens must be an integer from 1 to ${MAX_TOKENS}, with kind long_answer`);
  }
  if (
    wordsPerToken !== undefined &&
    (kind !== 'long_answer' || !isIntIn(wordsPerToken, 1, MAX_TOKENS))
  ) {
    return fail(`wordsPerToken must be an integer from 1 to ${MAX_TOKENS}, with kind long_answer`);
  }
  const spec: FaultSpec = { target, kind };
  if (model !== undefined) spec.model = model;
  if (status !== undefined) spec.status = status;
  if (delayMs !== undefined) spec.delayMs = delayMs;
  if (probability !== undefined) spec.probability = probability;
  if (count !== undefined) spec.count = count;
  if (midStream !== undefined) spec.midStream = midStream;
  if (tokens !== undefined) spec.tokens = tokens;
  if (wordsPerToken !== undefined) spec.wordsPerToken = wordsPerToken;
  return { ok: true, spec };
};
