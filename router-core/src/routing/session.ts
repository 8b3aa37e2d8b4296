import type { RouterConfig } from '../config/schema.ts';
import type { Decision, SessionState } from './contracts.ts';

/** A session that has not been seen before. */
export const newSession = (): SessionState => ({ stickyTurnsLeft: 0, turns: 0 });

/**
 * The session after a served turn: an automatic escalation to regional pins the session there for
 * `affinity.stickyTurns` more turns; a turn served only because of the pin uses one up. Named
 * models and degraded turns leave the pin as it was.
 */
export const nextSessionState = (
  session: SessionState | undefined,
  decision: Pick<Decision, 'tier' | 'reasons'>,
  config: Pick<RouterConfig, 'affinity'>,
  prefixKey?: string,
): SessionState => {
  const previous = session ?? newSession();
  const next: SessionState = { ...previous, turns: previous.turns + 1 };
  if (prefixKey !== undefined) next.lastPrefixKey = prefixKey;
  const { reasons } = decision;
  const pinned =
    reasons.includes('explicit_model') ||
    reasons.includes('explicit_tier') ||
    reasons.includes('regional_unavailable_degraded');
  if (pinned) return next;
  if (decision.tier === 'regional' && reasons.includes('sticky_session')) {
    next.stickyTurnsLeft = Math.max(0, previous.stickyTurnsLeft - 1);
  } else if (decision.tier === 'regional' && config.affinity.stickyTurns > 0) {
    next.stickyTier = 'regional';
    next.stickyTurnsLeft = config.affinity.stickyTurns;
  } else if (decision.tier === 'regional') {
    next.stickyTurnsLeft = 0;
  }
  if (next.stickyTurnsLeft === 0) delete next.stickyTier;
  return next;
};
