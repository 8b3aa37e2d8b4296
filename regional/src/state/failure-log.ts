import type { LogSink } from '../http/finish-request.ts';
import type { StateFailure } from './state-store.ts';

/**
 * One log line per concern and second at most while the state store fails (with how many
 * failures it stands for): an outage must show in the log, not flood it. Metrics count each.
 */
export const stateFailureLog = (
  log: LogSink,
  now: () => number = Date.now,
): ((failure: StateFailure) => void) => {
  const last = new Map<string, { at: number; suppressed: number }>();
  return (failure) => {
    const key = `${failure.concern}/${failure.policy}`;
    const at = now();
    const seen = last.get(key);
    if (seen !== undefined && at - seen.at < 1_000) {
      seen.suppressed++;
      return;
    }
    last.set(key, { at, suppressed: 0 });
    log({
      ts: new Date(at).toISOString(),
      level: 'warn',
      msg: 'state store unavailable',
      concern: failure.concern,
      policy: failure.policy,
      error: failure.error,
      ...(seen === undefined ? {} : { suppressed: seen.suppressed }),
    });
  };
};
