import { asRouterError, type PolicyStep } from '@switchback/router-core';

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
