import type { AuditEvent, RequestAuditEvent } from '../audit/audit-event.ts';
import { OUTCOMES, type Outcome } from '../errors/error-codes.ts';
import { createRolloutGate, type GateSettings, type GateVerdict } from './rollout-gate.ts';

/** The canary a log is read for: both sides' config versions and the gate's settings. */
export type AuditedCanary = {
  stableVersion: string;
  candidateVersion: string;
  settings: GateSettings;
};

/** What the log held of the canary, and the gate's verdict on it (none: it holds). */
export type AuditGateResult = {
  verdict: GateVerdict | undefined;
  requests: { stable: number; candidate: number };
  /** The candidate's first request in the log: the canary is taken to have started then. */
  startedAt: number | undefined;
};

const isOutcome = (value: string): value is Outcome =>
  (OUTCOMES as readonly string[]).includes(value);

const outcomeOf = (event: RequestAuditEvent): Outcome =>
  isOutcome(event.outcome) ? event.outcome : 'transient';

/**
 * The rollout gate (`createRolloutGate`) over a log's request events of either side, as a door's
 * own gate counts them live: the events of the window ending at `now` whose `config_version` is
 * the stable's or the candidate's; it may promote once a window has passed since the candidate's
 * first request in the log. So a
 * door that only writes its audit log (the edge) is decided by the same rule as one that runs the
 * gate in process (regional).
 */
export const gateFromAuditEvents = (
  events: Iterable<AuditEvent>,
  canary: AuditedCanary,
  now: number,
): AuditGateResult => {
  const from = now - canary.settings.windowMs;
  const inWindow: { role: 'stable' | 'candidate'; at: number; event: RequestAuditEvent }[] = [];
  let startedAt: number | undefined;
  for (const event of events) {
    if (event.type !== 'request') continue;
    const role =
      event.config_version === canary.candidateVersion
        ? 'candidate'
        : event.config_version === canary.stableVersion
          ? 'stable'
          : undefined;
    const at = Date.parse(event.ts);
    if (role === undefined || !(at <= now)) continue;
    if (role === 'candidate' && (startedAt === undefined || at < startedAt)) startedAt = at;
    if (at > from) inWindow.push({ role, at, event });
  }
  const requests = { stable: 0, candidate: 0 };
  if (startedAt === undefined) return { verdict: undefined, requests, startedAt };
  inWindow.sort((a, b) => a.at - b.at);
  const gate = createRolloutGate({ ...canary, startedAt });
  for (const { role, event } of inWindow) {
    requests[role] += 1;
    gate.observe(role, {
      outcome: outcomeOf(event),
      ttftMs: event.timings?.ttft_ms,
      costUsd: event.cost_usd ?? 0,
    });
  }
  return { verdict: gate.verdict(now), requests, startedAt };
};
