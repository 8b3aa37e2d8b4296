/** One observed change of a breaker's state, seconds into the run. */
export type BreakerEvent = { t: number; breaker: string; state: string };

// regional's encoding: 0 closed, 1 half-open, 2 open (the gauge rises with how unavailable it is).
const STATE_NAMES: Record<string, string> = { '0': 'closed', '1': 'half_open', '2': 'open' };
const LINE = /^router_breaker_state\{([^}]*)\}\s+([0-9.]+)/;

/** Parses `router_breaker_state{provider,model} N` lines of a Prometheus text page. */
export const breakerStates = (metrics: string): Map<string, string> => {
  const states = new Map<string, string>();
  for (const line of metrics.split('\n')) {
    const match = LINE.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries(
      [...(match[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    states.set(`${labels.provider}/${labels.model}`, STATE_NAMES[match[2] ?? ''] ?? match[2] ?? '');
  }
  return states;
};

/** Polls regional's `/metrics` once a second and records every breaker state change. */
export const sampleBreakers = (metricsUrl: string, startedAt: number) => {
  const events: BreakerEvent[] = [];
  const last = new Map<string, string>();
  const tick = async () => {
    try {
      const response = await fetch(metricsUrl, { signal: AbortSignal.timeout(900) });
      const states = breakerStates(await response.text());
      for (const [breaker, state] of states) {
        if (last.get(breaker) !== state) {
          if (last.has(breaker) || state !== 'closed') {
            events.push({ t: Math.round((Date.now() - startedAt) / 100) / 10, breaker, state });
          }
          last.set(breaker, state);
        }
      }
    } catch {
      // A missed sample is not an event.
    }
  };
  const timer = setInterval(() => void tick(), 1_000);
  return {
    events,
    stop: () => clearInterval(timer),
  };
};
