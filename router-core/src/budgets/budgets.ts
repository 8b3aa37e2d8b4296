import type { BudgetConfig } from '../config/schema.ts';
import { RouterError } from '../errors/router-error.ts';

/** Phases timed before the upstream call; each becomes a `server-timing` entry. */
export const BUDGET_PHASES = ['policy', 'classify'] as const;
export type BudgetPhase = (typeof BUDGET_PHASES)[number];

/** The three budgets, tracked apart (`router_budget_exceeded_total{budget}`). */
export const BUDGET_NAMES = ['policy', 'ttft', 'total'] as const;
export type BudgetName = (typeof BUDGET_NAMES)[number];

/** One request's clocks: phases, time to first token, the end-to-end deadline. */
export type Budgets = {
  /** The TTFT budget in ms (for a per-attempt deadline). */
  readonly ttftMs: number;
  /** Aborts at the end-to-end deadline (reason: a `budget_exceeded` RouterError), or when `dispose`d. */
  readonly totalSignal: AbortSignal;
  startPhase(phase: BudgetPhase): void;
  endPhase(phase: BudgetPhase): void;
  /** Records the first token (the first call wins). */
  firstToken(): void;
  /** Ms since the request started. */
  elapsedMs(): number;
  /** Ms left before the end-to-end deadline (never negative). */
  remainingMs(): number;
  /** Ms left before the TTFT deadline, or `Infinity` once the first token came. */
  ttftRemainingMs(): number;
  /** Duration of a phase in ms, if it ran (an open phase counts up to now). */
  phaseMs(phase: BudgetPhase): number | undefined;
  /** Time to first token in ms, if it came. */
  ttftObservedMs(): number | undefined;
  /** The budgets blown so far, in `BUDGET_NAMES` order. */
  exceeded(): BudgetName[];
  /** The `server-timing` header value; `total` only when `final` (non-streaming answers). */
  serverTiming(options: { final: boolean }): string;
  /** Clears the deadline timer: call when the request is done. */
  dispose(): void;
};

const round = (ms: number): number => Math.round(ms * 100) / 100;

const defaultNow = (): number => performance.now();

/** Starts the clocks for one request under `budget`; `now` is injectable for tests. */
export const createBudgets = (budget: BudgetConfig, now: () => number = defaultNow): Budgets => {
  const startedAt = now();
  const phaseStart = new Map<BudgetPhase, number>();
  const phaseEnd = new Map<BudgetPhase, number>();
  let firstTokenAt: number | undefined;

  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(
      new RouterError(
        'budget_exceeded',
        `The request did not complete within its ${budget.totalMs} ms budget.`,
      ),
    );
  }, budget.totalMs);
  // Node would otherwise keep a CLI alive until the deadline; Workers timers have no unref.
  (timer as { unref?: () => void }).unref?.();

  const elapsedMs = (): number => now() - startedAt;
  const phaseMs = (phase: BudgetPhase): number | undefined => {
    const start = phaseStart.get(phase);
    if (start === undefined) return undefined;
    return (phaseEnd.get(phase) ?? now()) - start;
  };
  const ttftObservedMs = (): number | undefined =>
    firstTokenAt === undefined ? undefined : firstTokenAt - startedAt;

  return {
    ttftMs: budget.ttftMs,
    totalSignal: controller.signal,
    startPhase(phase) {
      phaseStart.set(phase, now());
      phaseEnd.delete(phase);
    },
    endPhase(phase) {
      if (phaseStart.has(phase)) phaseEnd.set(phase, now());
    },
    firstToken() {
      firstTokenAt ??= now();
    },
    elapsedMs,
    remainingMs: () => Math.max(0, budget.totalMs - elapsedMs()),
    ttftRemainingMs: () =>
      firstTokenAt === undefined ? Math.max(0, budget.ttftMs - elapsedMs()) : Infinity,
    phaseMs,
    ttftObservedMs,
    exceeded() {
      const out: BudgetName[] = [];
      if ((phaseMs('policy') ?? 0) > budget.policyMs) out.push('policy');
      const ttft = ttftObservedMs() ?? elapsedMs();
      if (ttft > budget.ttftMs) out.push('ttft');
      if (elapsedMs() > budget.totalMs) out.push('total');
      return out;
    },
    serverTiming({ final }) {
      const entries: string[] = [];
      for (const phase of BUDGET_PHASES) {
        const ms = phaseMs(phase);
        if (ms !== undefined) entries.push(`${phase};dur=${round(ms)}`);
      }
      const ttft = ttftObservedMs();
      if (ttft !== undefined) entries.push(`ttft;dur=${round(ttft)}`);
      if (final) entries.push(`total;dur=${round(elapsedMs())}`);
      return entries.join(', ');
    },
    dispose() {
      clearTimeout(timer);
    },
  };
};
