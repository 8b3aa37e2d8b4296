import { asRouterError } from '../errors/router-error.ts';
import type { PolicyStep } from './audit-event.ts';

/** Runs one policy check and notes its result in `trace` (a refusal with its error code). */
export const traced = <T>(trace: PolicyStep[], check: string, run: () => T): T => {
  try {
    const value = run();
    trace.push({ check, result: 'pass' });
    return value;
  } catch (error) {
    trace.push({ check, result: 'deny', detail: asRouterError(error).code });
    throw error;
  }
};

/** `traced` for an asynchronous check. */
export const tracedAsync = async <T>(
  trace: PolicyStep[],
  check: string,
  run: () => Promise<T>,
): Promise<T> => {
  try {
    const value = await run();
    trace.push({ check, result: 'pass' });
    return value;
  } catch (error) {
    trace.push({ check, result: 'deny', detail: asRouterError(error).code });
    throw error;
  }
};
