import {
  operatorOfAuthorization,
  parseConfig,
  type RolloutDecisionAuditEvent,
  type RouterConfig,
  RouterError,
} from '@switchback/router-core';
import { CONFIG_KV_KEY } from '../config/kv-config.ts';

/** The canary the edge serves now, as `switchback rollout watch` reads it. */
export type EdgeRollout = {
  config_version: string;
  rollout: {
    candidate_version: string;
    percent: number;
    gate: NonNullable<RouterConfig['rollout']>['gate'] | null;
  } | null;
};

type Stored = { raw: Record<string, unknown>; config: RouterConfig };

const invalid = (message: string, param?: string) =>
  new RouterError('invalid_request', message, param === undefined ? {} : { param });

/** The config in KV (the edge's rollout lives only there), checked as the Worker checks it. */
const storedConfig = async (kv: KVNamespace): Promise<Stored> => {
  const text = await kv.get(CONFIG_KV_KEY, 'text');
  if (text === null) throw invalid(`KV holds no ${CONFIG_KV_KEY}: the edge runs no canary.`);
  const raw = JSON.parse(text) as Record<string, unknown>;
  const parsed = parseConfig(raw);
  if (!parsed.ok) throw invalid(`KV ${CONFIG_KV_KEY} is not a valid config.`);
  return { raw, config: parsed.config };
};

/** The inline candidate of a stored config and its version, when the edge serves a canary. */
const candidateOf = (stored: Stored) => {
  const rollout = stored.config.rollout;
  if (rollout === undefined || typeof rollout.candidate === 'string') return undefined;
  const parsed = parseConfig(rollout.candidate);
  return parsed.ok
    ? { input: rollout.candidate, version: parsed.config.version, percent: rollout.percent }
    : undefined;
};

/** `GET /ops/rollout`: the canary in KV, for an operator. */
export const readRollout = async (
  config: RouterConfig,
  kv: KVNamespace,
  authorization: string | undefined,
): Promise<EdgeRollout> => {
  await operatorOfAuthorization(config, authorization);
  const stored = await storedConfig(kv);
  const candidate = candidateOf(stored);
  return {
    config_version: stored.config.version,
    rollout:
      candidate === undefined
        ? null
        : {
            candidate_version: candidate.version,
            percent: candidate.percent,
            gate: stored.config.rollout?.gate ?? null,
          },
  };
};

const isDecision = (value: unknown): value is RolloutDecisionAuditEvent => {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  return (
    e.type === 'rollout_decision' &&
    (e.decision === 'promote' || e.decision === 'rollback') &&
    typeof e.stable_version === 'string' &&
    typeof e.candidate_version === 'string' &&
    typeof e.figures === 'object' &&
    Array.isArray(e.reasons)
  );
};

/**
 * `POST /ops/rollout` `{event}`: carries out a gate's verdict on the canary in KV, for an operator.
 * Promote: the candidate becomes the config. Rollback: the config stays, its canary at percent 0,
 * under a new version (`<stable>+rollback.<candidate>`) so every isolate takes the change. A
 * verdict on another canary than the one in KV is refused (409). Answers the event to record,
 * with the operator, and the version now in KV.
 */
export const applyRolloutVerdict = async (
  config: RouterConfig,
  kv: KVNamespace,
  request: { authorization: string | undefined; body: unknown },
): Promise<{ event: RolloutDecisionAuditEvent; config_version: string }> => {
  const operator = await operatorOfAuthorization(config, request.authorization);
  const event = (request.body as { event?: unknown } | undefined)?.event;
  if (!isDecision(event)) {
    throw invalid("'event' must be a rollout_decision to promote or roll back.", 'event');
  }
  const stored = await storedConfig(kv);
  const candidate = candidateOf(stored);
  if (
    candidate === undefined ||
    candidate.version !== event.candidate_version ||
    stored.config.version !== event.stable_version
  ) {
    throw new RouterError(
      'conflict',
      `The edge's canary is not ${event.stable_version} → ${event.candidate_version}.`,
    );
  }
  const next: Record<string, unknown> =
    event.decision === 'promote'
      ? candidate.input
      : {
          ...stored.raw,
          version: `${stored.config.version}+rollback.${candidate.version}`,
          rollout: { ...(stored.raw.rollout as Record<string, unknown>), percent: 0 },
        };
  const version = String(next.version);
  await kv.put(CONFIG_KV_KEY, JSON.stringify(next));
  return { event: { ...event, operator }, config_version: version };
};
