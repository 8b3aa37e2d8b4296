import type { RolloutDecisionAuditEvent, RolloutSideFigures } from '../audit/audit-event.ts';
import type { RolloutConfig } from '../config/schema.ts';
import type { Outcome } from '../errors/error-codes.ts';

export type GateSettings = NonNullable<RolloutConfig['gate']>;
export type CanaryRole = 'stable' | 'candidate';

/** One finished request of either side, as the gate counts it. */
export type GateObservation = { outcome: Outcome; ttftMs?: number | undefined; costUsd: number };

/** A decision the gate reached: what to do, and the audit event that records why. */
export type GateVerdict = {
  decision: 'promote' | 'rollback';
  event: RolloutDecisionAuditEvent;
};

/** The availability SLO's error budget (infra/prometheus/slo-rules.yaml: 99.9 %). */
const AVAILABILITY_BUDGET = 0.001;
/** TTFT samples kept per side: the window's p95 from the latest ones when traffic is heavy. */
const MAX_SAMPLES = 20_000;

type Side = {
  requests: number;
  rejected: number;
  errors: number;
  successes: number;
  costUsd: number;
  ttft: number[];
};

const emptySide = (): Side => ({
  requests: 0,
  rejected: 0,
  errors: 0,
  successes: 0,
  costUsd: 0,
  ttft: [],
});

const figuresOf = (side: Side): RolloutSideFigures => {
  const valid = side.requests - side.rejected;
  const sorted = [...side.ttft].sort((a, b) => a - b);
  const p95 = sorted[Math.max(0, Math.ceil(sorted.length * 0.95) - 1)];
  return {
    requests: side.requests,
    errors: side.errors,
    burn_rate: valid === 0 ? 0 : side.errors / valid / AVAILABILITY_BUDGET,
    ttft_p95_ms: p95 ?? null,
    cost_usd: side.costUsd,
    successes: side.successes,
    cost_per_success_usd: side.successes === 0 ? null : side.costUsd / side.successes,
  };
};

/** The thresholds the candidate crossed against the stable side, each as a readable reason. */
const crossed = (
  stable: RolloutSideFigures,
  candidate: RolloutSideFigures,
  s: GateSettings,
): string[] => {
  const reasons: string[] = [];
  if (candidate.burn_rate > s.maxBurnRate && candidate.burn_rate > stable.burn_rate) {
    reasons.push(
      `burn rate ${candidate.burn_rate.toFixed(2)} > ${s.maxBurnRate} (stable ${stable.burn_rate.toFixed(2)})`,
    );
  }
  if (
    candidate.ttft_p95_ms !== null &&
    stable.ttft_p95_ms !== null &&
    candidate.ttft_p95_ms > stable.ttft_p95_ms * s.maxTtftP95Ratio
  ) {
    reasons.push(
      `TTFT p95 ${candidate.ttft_p95_ms.toFixed(1)} ms > ${s.maxTtftP95Ratio} × stable ${stable.ttft_p95_ms.toFixed(1)} ms`,
    );
  }
  const cost = candidate.cost_per_success_usd;
  const base = stable.cost_per_success_usd;
  if (cost !== null && base !== null && base > 0 && cost > base * s.maxCostPerSuccessRatio) {
    reasons.push(
      `cost per success $${cost.toPrecision(3)} > ${s.maxCostPerSuccessRatio} × stable $${base.toPrecision(3)}`,
    );
  }
  // A candidate with errors but no success at all, against a stable side with successes.
  if (candidate.successes === 0 && stable.successes > 0) {
    reasons.push('no successful request on the candidate');
  }
  return reasons;
};

/**
 * The rollout gate over one canary (sans-I/O: the door feeds it finished requests and the
 * time). It rolls back as soon as both sides have `minRequests` and the candidate crosses a
 * threshold, and promotes once `windowMs` has passed since it started with none crossed. It
 * decides once; after a verdict it only answers that verdict again.
 */
export const createRolloutGate = (options: {
  settings: GateSettings;
  stableVersion: string;
  candidateVersion: string;
  startedAt: number;
}) => {
  const { settings } = options;
  const sides: Record<CanaryRole, Side> = { stable: emptySide(), candidate: emptySide() };
  let verdict: GateVerdict | undefined;

  const decide = (decision: GateVerdict['decision'], now: number, reasons: string[]) => {
    const figures = { stable: figuresOf(sides.stable), candidate: figuresOf(sides.candidate) };
    verdict = {
      decision,
      event: {
        type: 'rollout_decision',
        ts: new Date(now).toISOString(),
        decision,
        stable_version: options.stableVersion,
        candidate_version: options.candidateVersion,
        window: {
          from: new Date(options.startedAt).toISOString(),
          to: new Date(now).toISOString(),
        },
        figures,
        reasons,
      },
    };
    return verdict;
  };

  return {
    /** Counts one finished request of a side. */
    observe(role: CanaryRole, o: GateObservation): void {
      if (verdict !== undefined) return;
      const side = sides[role];
      side.requests += 1;
      if (o.outcome === 'deterministic' || o.outcome === 'quota') side.rejected += 1;
      if (o.outcome === 'transient' || o.outcome === 'budget') side.errors += 1;
      if (o.outcome === 'ok') side.successes += 1;
      side.costUsd += o.costUsd;
      if (o.ttftMs !== undefined) {
        if (side.ttft.length >= MAX_SAMPLES) side.ttft.shift();
        side.ttft.push(o.ttftMs);
      }
    },
    /** The verdict at `now`, or undefined while the gate holds (too few requests, window open). */
    verdict(now: number): GateVerdict | undefined {
      if (verdict !== undefined) return verdict;
      if (Math.min(sides.stable.requests, sides.candidate.requests) < settings.minRequests) {
        return undefined;
      }
      const reasons = crossed(figuresOf(sides.stable), figuresOf(sides.candidate), settings);
      if (reasons.length > 0) return decide('rollback', now, reasons);
      if (now - options.startedAt < settings.windowMs) return undefined;
      return decide('promote', now, [
        `held for ${settings.windowMs} ms over ${sides.candidate.requests} requests with no threshold crossed`,
      ]);
    },
  };
};

export type RolloutGate = ReturnType<typeof createRolloutGate>;
