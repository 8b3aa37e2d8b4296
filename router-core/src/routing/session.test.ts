import { describe, expect, it } from 'vitest';
import type { Decision, SessionState } from './contracts.ts';
import { nextSessionState } from './session.ts';

const config = { affinity: { stickyTurns: 2 } };
const turn = (tier: Decision['tier'], ...reasons: Decision['reasons']) => ({ tier, reasons });

describe('nextSessionState', () => {
  it('pins a session escalated to regional for stickyTurns turns, then lets it go', () => {
    let s: SessionState | undefined;
    s = nextSessionState(s, turn('edge', 'simple_prompt'), config);
    expect(s).toEqual({ stickyTurnsLeft: 0, turns: 1 });
    s = nextSessionState(s, turn('regional', 'complex_prompt'), config);
    expect(s).toEqual({ stickyTier: 'regional', stickyTurnsLeft: 2, turns: 2 });
    s = nextSessionState(s, turn('regional', 'sticky_session'), config);
    expect(s).toEqual({ stickyTier: 'regional', stickyTurnsLeft: 1, turns: 3 });
    s = nextSessionState(s, turn('regional', 'sticky_session'), config);
    expect(s).toEqual({ stickyTurnsLeft: 0, turns: 4 });
  });

  it('renews the pin when a pinned session asks something complex again', () => {
    const s = nextSessionState(
      { stickyTier: 'regional', stickyTurnsLeft: 1, turns: 5 },
      turn('regional', 'complex_prompt'),
      config,
    );
    expect(s.stickyTurnsLeft).toBe(2);
  });

  it.each([
    ['explicit_model' as const, 'regional' as const],
    ['explicit_tier' as const, 'regional' as const],
    ['regional_unavailable_degraded' as const, 'edge' as const],
  ])('leaves the pin alone on a %s turn', (reason, tier) => {
    const before: SessionState = { stickyTier: 'regional', stickyTurnsLeft: 1, turns: 5 };
    expect(nextSessionState(before, turn(tier, reason), config)).toEqual({ ...before, turns: 6 });
  });

  it('does not pin when stickyTurns is 0', () => {
    expect(
      nextSessionState(undefined, turn('regional', 'complex_prompt'), {
        affinity: { stickyTurns: 0 },
      }),
    ).toEqual({
      stickyTurnsLeft: 0,
      turns: 1,
    });
  });

  it('remembers the last prefix key', () => {
    expect(nextSessionState(undefined, turn('edge'), config, 'pfx-1').lastPrefixKey).toBe('pfx-1');
  });
});
